"""REST endpoints for courses. Reads are scoped by releasability exactly as the pages are; writes
go through catalogue.services, whose per-field messages come back as a 400 JSON body."""

from django.core.cache import cache
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from icihub.catalogue import services
from icihub.catalogue.filters import CourseFilter
from icihub.catalogue.models import (
    Certification,
    Classification,
    Course,
    DeliveryMethod,
    Level,
    SeatAllocationMethod,
)


def _codes(help_text: str):
    return serializers.ListField(child=serializers.CharField(max_length=20), required=False, help_text=help_text)


class ObjectiveSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    text_en = serializers.CharField()
    text_ar = serializers.CharField()


class CourseSerializer(serializers.Serializer):
    """A course as CourseData; references are codes. Field rules are checked by the service."""

    code = serializers.CharField(max_length=20, help_text="DISCIPLINE-AREA-NNNNN, e.g. ETE-SP-31399")
    facility_code = serializers.CharField(max_length=12)
    title_en = serializers.CharField(max_length=250)
    title_ar = serializers.CharField(max_length=250)
    institution = serializers.CharField(max_length=20, help_text="Organisation code")
    discipline = serializers.CharField(max_length=5)
    area = serializers.CharField(max_length=5)
    level = serializers.ChoiceField(choices=Level.choices)
    certification = serializers.ChoiceField(choices=Certification.choices, required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    aim_en = serializers.CharField()
    aim_ar = serializers.CharField()
    description_en = serializers.CharField(required=False, allow_blank=True)
    description_ar = serializers.CharField(required=False, allow_blank=True)
    notes_en = serializers.CharField(required=False, allow_blank=True)
    notes_ar = serializers.CharField(required=False, allow_blank=True)
    objectives = ObjectiveSerializer(many=True, required=False)
    languages = _codes('Language codes, e.g. ["en", "ar"]')
    duration_days = serializers.IntegerField()
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    releasable_to_public = serializers.BooleanField(required=False)
    releasable_to_frameworks = _codes("Framework codes")
    releasable_to_nations = _codes("ISO 3166 alpha-3 codes")
    audience_frameworks = _codes("Framework codes")
    audience_nations = _codes("ISO 3166 alpha-3 codes")
    rank_min = serializers.CharField(required=False, allow_blank=True, max_length=6)
    rank_max = serializers.CharField(required=False, allow_blank=True, max_length=6)
    civilians_eligible = serializers.BooleanField(required=False)
    slp_requirement = serializers.CharField(required=False, allow_blank=True, max_length=12)
    prerequisites = _codes("Course codes")
    eprime_reference = serializers.CharField(required=False, allow_blank=True, max_length=20)
    tuition_fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    accommodation_fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    meals_fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    payment_authority = serializers.CharField(required=False, allow_blank=True, max_length=200)
    payment_authority_ar = serializers.CharField(required=False, allow_blank=True, max_length=200)
    level1_evaluation = serializers.BooleanField(required=False)
    level2_test = serializers.BooleanField(required=False)
    two_step_application = serializers.BooleanField(required=False)
    requires_secure_access = serializers.BooleanField(required=False)
    seat_allocation_method = serializers.ChoiceField(choices=SeatAllocationMethod.choices, required=False)
    active_from = serializers.DateField()
    deactivated_on = serializers.DateField(required=False, allow_null=True)
    releasability_marking = serializers.CharField(read_only=True)

    def to_representation(self, course):
        data = services.course_data(course)
        data["objectives"] = [
            {"number": number, "text_en": en, "text_ar": ar}
            for number, (en, ar) in enumerate(data["objectives"], start=1)
        ]
        data["releasability_marking"] = course.releasability_marking
        return super().to_representation(data)

    def course_data(self) -> dict:
        """Validated input as CourseData; on a partial update the course's other values are kept."""
        data = services.course_data(self.instance) if self.instance is not None else {}
        data.update(self.validated_data)
        if "objectives" in self.validated_data:
            data["objectives"] = [(item["text_en"], item["text_ar"]) for item in self.validated_data["objectives"]]
        return data


class CourseViewSet(viewsets.ModelViewSet):
    """Courses of the catalogue that the caller may see; staff may create, edit and delete."""

    policy_resource = "course"
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    # A page of full course records is the same for every caller who sees the same courses and asks the
    # same; it is kept this long, and changes with every course change (catalogue_generation).
    LIST_SECONDS = 60

    def get_queryset(self):
        return Course.objects.visible_to(self.request.user).with_record()

    def list(self, request, *args, **kwargs):
        # The page's data is shared like the catalogue page's content (services.shared_content_key); an
        # invalid filter or page is answered by DRF as before and never cached. The page links are
        # absolute: each base address has its own. (A comment, not a docstring: the API's schema shows
        # docstrings to its readers.)
        key = services.shared_content_key(request.user, request.query_params, request.build_absolute_uri(request.path))
        if key is None:
            return super().list(request, *args, **kwargs)
        data = cache.get(key)
        if data is None:
            data = super().list(request, *args, **kwargs).data
            cache.set(key, data, self.LIST_SECONDS)
        return Response(data)

    def perform_create(self, serializer):
        serializer.instance = services.save_course(actor=self.request.user, data=serializer.course_data(), source="api")

    def perform_update(self, serializer):
        serializer.instance = services.save_course(
            actor=self.request.user, data=serializer.course_data(), course=serializer.instance, source="api"
        )

    def perform_destroy(self, instance):
        services.delete_course(actor=self.request.user, course=instance, source="api")
