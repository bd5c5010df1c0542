"""Every route of the site must be covered by an access test. A new route fails this test until it
is added below together with the test file that checks who may reach it."""

from django.urls import URLPattern, URLResolver, get_resolver

COVERED = {
    # catalogue pages: test_course_access_matrix.py, catalogue/tests/test_pages.py, test_import_export.py
    "catalogue:list",
    "catalogue:detail",
    "catalogue:create",
    "catalogue:edit",
    "catalogue:import",
    "catalogue:export",
    # API: test_course_access_matrix.py, catalogue/tests/test_api.py, partners/tests/test_api.py
    "course-list",
    "course-detail",
    "framework-list",
    "framework-detail",
    "nation-list",
    "nation-detail",
    "organisation-list",
    "organisation-detail",
    "api-root",
    "api-token",
    "api-schema",
    "api-docs",
    # seat workflow pages: nominations/tests/test_access.py, test_pages.py
    "nominations:iterations",
    "nominations:iteration",
    "nominations:iteration-action",
    "nominations:iteration-create",
    "nominations:iteration-edit",
    "nominations:nominate",
    "nominations:upload",
    "nominations:approvals",
    "nominations:nominations",
    "nominations:nomination",
    "nominations:calendar",
    "calendar-feed",
    # seat workflow API: nominations/tests/test_access.py, test_api.py
    "iteration-list",
    "iteration-detail",
    "iteration-status",
    "iteration-allocations",
    "iteration-bid",
    "iteration-allocate",
    "iteration-adjust-allocation",
    "nomination-list",
    "nomination-detail",
    "nomination-withdraw",
    "nomination-replace",
    "nomination-approve",
    "nomination-defer",
    "nomination-reject",
    "person-list",
    "person-detail",
    # programmes, goals, the cooperation menu and events over the API: programmes/tests/test_api.py
    "programme-list",
    "programme-detail",
    "goal-list",
    "goal-detail",
    "menu-activity-list",
    "menu-activity-detail",
    "event-list",
    "event-detail",
    # programme and event pages: programmes/tests/test_programmes.py (the confidentiality matrix)
    "programmes:list",
    "programmes:create",
    "programmes:detail",
    "programmes:edit",
    "programmes:review",
    "programmes:review-pdf",
    "programmes:events",
    "programmes:event-propose",
    "programmes:event",
    # the cooperation menu pages, its import and export: programmes/tests/test_menu_import.py
    "menu:list",
    "menu:import",
    "menu:export-csv",
    "menu:export-xlsx",
    # planner pages and calendar exports: planning/tests/test_workflow.py
    "planning:home",
    "planning:bids",
    "planning:run",
    "planning:file",
    "planning:export",
    # public certificate verification and keys: certificates/tests/test_certificates.py
    "certificates:verify-form",
    "certificates:verify",
    "certificates:pdf",
    "certificates:credential",
    # an iteration's certificates, the background run and its ZIP: certificates/tests/test_batch.py
    "certificates:iteration",
    "certificates:run-archive",
    # evaluation: evaluation/tests/test_evaluation.py
    "evaluation:answer-link",
    "evaluation:answer",
    "evaluation:results",
    "evaluation:questionnaires",
    "evaluation:questionnaire",
    # the participant's own page, and where a log-in lands: accounts/tests/test_portal.py
    "my",
    "start",
    # the class sheet: delivery/tests/test_class_sheet.py
    "delivery:class-sheet",
    # attendance as CSV and the daily check-in code: delivery/tests/test_attendance_import.py,
    # delivery/tests/test_check_in.py
    "delivery:attendance-csv",
    "delivery:attendance-import",
    "delivery:check-in-display",
    "delivery:check-in",
    # joining instructions: delivery/tests/test_joining.py
    "delivery:joining",
    "delivery:joining-edit",
    "delivery:joining-pdf",
    "api-verify",
    "public-key",
    # the user's own account, sessions, API token and passwords: accounts/tests/test_sessions.py
    "account",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # multi-factor log-in: accounts/tests/test_mfa.py
    "mfa-verify",
    "mfa-setup",
    "mfa-recovery",
    # step-up re-authentication: accounts/tests/test_step_up.py
    "step-up",
    # the personal-data page: operations/tests/test_privacy_page.py
    "operations:privacy",
    "operations:privacy-export",
    "operations:privacy-erase",
    # the staff audit page and its CSV export: audit/tests/test_audit_page.py
    "audit:list",
    "audit:export",
    # reports: the dashboard, the rows behind a figure, its CSV and API: reports/tests/test_pages.py
    "reports:dashboard",
    "reports:rows",
    "reports:funnel-csv",
    "api-report-year",
    # reports' files and exports: reports/tests/test_files.py
    "reports:rows-csv",
    "reports:files",
    "reports:file",
    "api-report-files",
    "api-report-file",
    "api-report-file-download",
    # the bare liveness view, public: operations/tests/test_health.py
    "healthz",
    # accounts: test_log_in.py; language switch: catalogue/tests/test_pages.py
    "login",
    "logout",
    "set_language",
}
# Django's admin checks its own permissions; AuditedAdmin limits it to reference-data editors.
OUTSIDE_THE_MATRIX = ("admin:",)


def route_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_route_is_in_the_access_matrix():
    names = {name for name in route_names() if not name.startswith(OUTSIDE_THE_MATRIX)}
    assert names - COVERED == set(), "add these routes to an access test, then to COVERED"
    assert COVERED - names == set(), "COVERED names routes that no longer exist"
