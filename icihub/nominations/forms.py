"""Forms of the nominations pages. They parse input only; every rule is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Classification
from icihub.nominations.models import Service


class PersonForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_names = forms.CharField(label=_("Given names"), max_length=150)
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    rank = forms.CharField(
        label=_("Rank code (STANAG 2116)"),
        max_length=6,
        required=False,
        help_text=_("e.g. OF-3; leave empty for a civilian"),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"))
    supervisor_email = forms.EmailField(
        label=_("Supervisor's e-mail"),
        required=False,
        help_text=_("The supervisor is asked about the course's effect six months after it."),
    )
    slp_profile = forms.CharField(
        label=_("Language profile (SLP)"),
        max_length=12,
        required=False,
        help_text=_("STANAG 6001, listening-speaking-reading-writing, e.g. 3232"),
    )
    clearance = forms.ChoiceField(
        label=_("Security clearance"), choices=[("", _("none"))] + Classification.choices, required=False
    )
    nation = forms.CharField(
        label=_("Nation (ISO alpha-3)"),
        max_length=3,
        required=False,
        help_text=_("Only for an organisation's point of contact"),
    )

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class NominationForm(PersonForm):
    priority = forms.IntegerField(
        label=_("National priority"),
        min_value=1,
        max_value=9,
        initial=5,
        help_text=_("1 is your first choice; the waiting list goes by it."),
    )


class IterationForm(forms.Form):
    course = forms.CharField(label=_("Course code"), max_length=20)
    code = forms.CharField(
        label=_("Iteration code"),
        max_length=20,
        required=False,
        help_text=_("e.g. M5-33-C-19; leave empty for the next free run letter"),
    )
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.ChoiceField(
        label=_("Venue"), choices=[("centre", _("at the centre")), ("mobile", _("mobile training team"))]
    )
    location_en = forms.CharField(label=_("Location (English)"), max_length=200, required=False)
    location_ar = forms.CharField(label=_("Location (Arabic)"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)
    nominations_open = forms.DateField(label=_("Nominations open"), widget=forms.DateInput(attrs={"type": "date"}))
    nominations_close = forms.DateField(label=_("Nominations close"), widget=forms.DateInput(attrs={"type": "date"}))
    decision_deadline = forms.DateField(
        label=_("Decision deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    add_service_errors = PersonForm.add_service_errors
