"""Forms of the programme and event pages. They parse input only; every rule is in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icihub.programmes.models import Goal, Programme


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeForm(forms.Form):
    nation = forms.CharField(label=_("Partner nation (ISO alpha-3)"), max_length=3)
    kind = forms.ChoiceField(label=_("Kind"), choices=Programme.Kind.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=300)
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ObjectiveForm(forms.Form):
    title_en = forms.CharField(label=_("Strategic objective (English)"), max_length=300)
    title_ar = forms.CharField(label=_("Strategic objective (Arabic)"), max_length=300)


class GoalForm(forms.Form):
    title_en = forms.CharField(label=_("Partnership goal (English)"), max_length=300)
    title_ar = forms.CharField(label=_("Partnership goal (Arabic)"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    target_date = _date(_("Target date"))
    indicator_en = forms.CharField(label=_("Indicator (English)"), max_length=300)
    indicator_ar = forms.CharField(label=_("Indicator (Arabic)"), max_length=300)
    measure = forms.ChoiceField(label=_("Measured by"), choices=Goal.Measure.choices)
    target = forms.IntegerField(label=_("Target"), min_value=1)


class EventForm(forms.Form):
    activity = forms.CharField(label=_("Cooperation menu activity (code)"), max_length=30)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=300)
    starts_on = _date(_("First day"))
    ends_on = _date(_("Last day"))
    location_en = forms.CharField(label=_("Location (English)"), max_length=200, required=False)
    location_ar = forms.CharField(label=_("Location (Arabic)"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000)

    add_service_errors = ProgrammeForm.add_service_errors
