"""What templates may ask of the access policy (to show or hide links; views still check)."""

from icihub.accounts import policy
from icihub.accounts.models import Role


def access(request) -> dict:
    user = request.user
    return {
        "can_edit_catalogue": policy.allows(user, "course", "create"),
        "can_import_catalogue": policy.allows(user, "course", "import"),
        "sees_everything": policy.sees_everything(user),
        "can_decide_nominations": policy.allows(user, "nomination", "decide"),
        "can_view_planning": policy.allows(user, "planning", "view"),
        "can_configure_evaluation": policy.allows(user, "evaluation", "configure"),
        "sees_audit": policy.role_of(user) in (Role.CENTRE_ADMIN, Role.HQ_OBSERVER),
        "handles_privacy": policy.allows(user, "person", "privacy"),
        "sees_reports": policy.allows(user, "report", "view"),
        "sees_programmes": policy.sees_everything(user) or policy.party_filter(user) is not None,
    }
