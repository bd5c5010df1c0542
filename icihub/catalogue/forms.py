"""The staff form for a course. It only collects values; every rule is checked by
services.clean_course_data, whose messages are put back on the matching fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import (
    Area,
    Certification,
    Classification,
    Course,
    DeliveryMethod,
    Discipline,
    Language,
    Level,
    SeatAllocationMethod,
)
from icihub.partners.models import Framework, Nation, Organisation


def _codes(queryset, label=lambda obj: f"{obj.code} - {obj.name}"):
    return [(obj.code, label(obj)) for obj in queryset]


class CourseForm(forms.Form):
    code = forms.CharField(
        label=_("Course code"), max_length=20, help_text=_("DISCIPLINE-AREA-NNNNN, e.g. ETE-SP-31399")
    )
    facility_code = forms.CharField(label=_("Facility code"), max_length=12, help_text=_("e.g. M1-117"))
    title_en = forms.CharField(label=_("Title (English)"), max_length=250)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=250)
    institution = forms.ChoiceField(label=_("Training institution"))
    discipline = forms.ChoiceField(label=_("Discipline"))
    area = forms.ChoiceField(label=_("Area"), help_text=_("The area within the discipline."))
    level = forms.ChoiceField(label=_("Level of proficiency"), choices=Level.choices)
    certification = forms.ChoiceField(label=_("NATO course certification"), choices=Certification.choices)
    delivery_method = forms.ChoiceField(label=_("Delivery method"), choices=DeliveryMethod.choices)
    aim_en = forms.CharField(label=_("Aim (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    aim_ar = forms.CharField(label=_("Aim (Arabic)"), widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl"}))
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_ar = forms.CharField(
        label=_("Description (Arabic)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "rtl"}),
    )
    notes_en = forms.CharField(label=_("Notes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes_ar = forms.CharField(
        label=_("Notes (Arabic)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl"})
    )
    objectives_en = forms.CharField(
        label=_("Performance objectives (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One objective per line, in order; they are numbered 1, 2, 3..."),
    )
    objectives_ar = forms.CharField(
        label=_("Performance objectives (Arabic)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "rtl"}),
        help_text=_("The same objectives in Arabic, one per line, in the same order."),
    )
    languages = forms.MultipleChoiceField(label=_("Languages"), widget=forms.CheckboxSelectMultiple)
    duration_days = forms.IntegerField(label=_("Duration in days"), min_value=1, max_value=365)
    classification = forms.ChoiceField(label=_("Security classification"), choices=Classification.choices)
    releasable_to_public = forms.BooleanField(label=_("Releasable to the public"), required=False)
    releasable_to_frameworks = forms.MultipleChoiceField(
        label=_("Releasable to frameworks"), required=False, widget=forms.CheckboxSelectMultiple
    )
    releasable_to_nations = forms.MultipleChoiceField(
        label=_("Releasable to nations"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    audience_frameworks = forms.MultipleChoiceField(
        label=_("Training audience: frameworks"), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_nations = forms.MultipleChoiceField(
        label=_("Training audience: nations"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    rank_min = forms.CharField(
        label=_("Lowest rank"), required=False, max_length=6, help_text=_("STANAG 2116, e.g. OR-4")
    )
    rank_max = forms.CharField(
        label=_("Highest rank"), required=False, max_length=6, help_text=_("STANAG 2116, e.g. OF-5")
    )
    civilians_eligible = forms.BooleanField(label=_("Civilians eligible"), required=False)
    slp_requirement = forms.CharField(
        label=_("Language requirement (SLP)"),
        required=False,
        max_length=12,
        help_text=_("STANAG 6001, e.g. 3232"),
    )
    prerequisites = forms.MultipleChoiceField(
        label=_("Prerequisite courses"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    eprime_reference = forms.CharField(
        label=_("ePrime reference"), required=False, max_length=20, help_text=_("e.g. ACT.396")
    )
    tuition_fee_eur = forms.CharField(
        label=_("Tuition fee per student (EUR)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    accommodation_fee_eur = forms.CharField(
        label=_("Accommodation fee (EUR)"), required=False, widget=forms.NumberInput(attrs={"step": "0.01"})
    )
    meals_fee_eur = forms.CharField(
        label=_("Meals fee (EUR)"), required=False, widget=forms.NumberInput(attrs={"step": "0.01"})
    )
    payment_authority = forms.CharField(label=_("Payment authority"), required=False, max_length=200)
    payment_authority_ar = forms.CharField(label=_("Payment authority (Arabic)"), required=False, max_length=200)
    level1_evaluation = forms.BooleanField(label=_("Level 1 evaluation"), required=False)
    level2_test = forms.BooleanField(label=_("Level 2 test"), required=False)
    two_step_application = forms.BooleanField(label=_("Two-step application"), required=False)
    seat_allocation_method = forms.ChoiceField(
        label=_("Seat allocation method"), choices=SeatAllocationMethod.choices, required=False
    )
    requires_secure_access = forms.BooleanField(label=_("Requires secure access"), required=False)
    active_from = forms.CharField(label=_("Active from"), widget=forms.DateInput(attrs={"type": "date"}))
    deactivated_on = forms.CharField(
        label=_("Deactivated on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, course: Course | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = _codes(Organisation.objects.all())
        self.fields["discipline"].choices = _codes(Discipline.objects.all())
        self.fields["area"].choices = [
            (area.code, f"{area.discipline.code}-{area.code} - {area.name}")
            for area in Area.objects.select_related("discipline")
        ]
        self.fields["languages"].choices = _codes(Language.objects.all(), label=lambda obj: obj.name)
        frameworks = _codes(Framework.objects.all())
        nations = _codes(Nation.objects.all())
        for field in ("releasable_to_frameworks", "audience_frameworks"):
            self.fields[field].choices = frameworks
        for field in ("releasable_to_nations", "audience_nations"):
            self.fields[field].choices = nations
        others = Course.objects.exclude(pk=course.pk) if course else Course.objects.all()
        self.fields["prerequisites"].choices = _codes(
            others.only("code", "title_en", "title_ar"), lambda c: f"{c.code} - {c.title}"
        )

    def course_data(self) -> dict:
        """The cleaned values as CourseData for services.save_course."""
        data = dict(self.cleaned_data)
        english = [line.strip() for line in data.pop("objectives_en").splitlines() if line.strip()]
        arabic = [line.strip() for line in data.pop("objectives_ar").splitlines() if line.strip()]
        if len(english) != len(arabic):
            raise ValidationError(
                {
                    "objectives_ar": _(
                        "Give as many Arabic objectives as English ones (%(en)d English, %(ar)d Arabic)."
                    )
                    % {"en": len(english), "ar": len(arabic)}
                }
            )
        data["objectives"] = list(zip(english, arabic, strict=True))
        return data

    @classmethod
    def initial_for(cls, data: dict) -> dict:
        """Form initial values from CourseData."""
        initial = dict(data)
        initial["objectives_en"] = "\n".join(en for en, _ar in data["objectives"])
        initial["objectives_ar"] = "\n".join(ar for _en, ar in data["objectives"])
        for field in ("active_from", "deactivated_on"):
            initial[field] = data[field].isoformat() if data[field] else ""
        return initial

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            target = "objectives_en" if field == "objectives" else field
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
