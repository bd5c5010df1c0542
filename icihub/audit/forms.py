"""The filters of the staff audit page and its CSV export, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icihub.audit.queries import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action starts with"), required=False, max_length=60, help_text=_('For example "nomination."')
    )
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=60, help_text=_('For example "nominations.Nomination"')
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=60)
    source = forms.CharField(label=_("Source"), required=False, max_length=20, help_text=_("web, api, import, admin…"))
    since = forms.DateField(label=_("From (UTC date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To (UTC date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters, once the form is valid."""
        return AuditFilters(**self.cleaned_data)
