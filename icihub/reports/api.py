"""The reports' figures as JSON, scoped like the pages (a point of contact gets their own nation's)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from icihub.accounts.api_permissions import PolicyPermission
from icihub.catalogue.models import DeliveryMethod
from icihub.reports.queries import STAGES, Filters, SeatFunnel, open_runs


class _Stages(serializers.Serializer):
    offered = serializers.IntegerField(help_text="Seats offered: the runs' capacity, or the seats allocated")
    bid = serializers.IntegerField(help_text="Seats bid for the year")
    nominated = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    attended = serializers.IntegerField(help_text="Confirmed participants marked present or late on a day")
    graduated = serializers.IntegerField(help_text="Participants who completed the course")
    fill = serializers.IntegerField(allow_null=True, help_text="Confirmed of offered, in whole per cent")


class _PartyStages(_Stages):
    party = serializers.CharField(help_text="The nation's or organisation's code")


class _CourseStages(_Stages):
    course = serializers.CharField()
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    runs = serializers.IntegerField(help_text="Runs of the year (the whole centre's figures only; else 0)")
    reaction = serializers.FloatField(
        allow_null=True, help_text="Kirkpatrick level 1: mean of the end-of-course answers, 1 to 5 (staff and HQ)"
    )
    reaction_responses = serializers.IntegerField()
    gain = serializers.FloatField(allow_null=True, help_text="Kirkpatrick level 2: mean final test minus pre-test")
    tested = serializers.IntegerField(help_text="Participants with both tests")


class _Pipeline(serializers.Serializer):
    awaiting = serializers.IntegerField(help_text="Nominations submitted or deferred, waiting for a decision")
    waitlisted = serializers.IntegerField()
    no_show = serializers.IntegerField(help_text="Confirmed on a completed run, never marked present or late")
    certified = serializers.IntegerField(help_text="Certificates issued")
    revoked = serializers.IntegerField(help_text="Certificates revoked")
    oldest_wait_days = serializers.IntegerField(allow_null=True)
    completion_rate = serializers.IntegerField(allow_null=True, help_text="Graduates of confirmed, completed runs")
    by_status = serializers.DictField(child=serializers.IntegerField())


class _OpenRun(serializers.Serializer):
    iteration = serializers.CharField()
    course = serializers.CharField()
    start_date = serializers.DateField()
    nominations_close = serializers.DateField()
    days_left = serializers.IntegerField()
    nominations = serializers.IntegerField(help_text="Active nominations the caller may see")
    seats_confirmed = serializers.IntegerField()
    capacity = serializers.IntegerField()


class YearReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    hijri_years = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    whole_centre = serializers.BooleanField(help_text="False when the figures count only some parties")
    runs = serializers.DictField(child=serializers.IntegerField(), help_text="The year's runs by status")
    totals = _Stages()
    by_party = _PartyStages(many=True)
    by_course = _CourseStages(many=True)
    pipeline = _Pipeline()
    open_runs = _OpenRun(many=True, help_text="Runs taking nominations now (not narrowed by the year)")


FILTER_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Gregorian year of the runs' start (default: this year)"),
    OpenApiParameter("framework", OpenApiTypes.STR, description="Only nations in this framework that year, e.g. ICI"),
    OpenApiParameter("nation", OpenApiTypes.STR, description="Only this nation, e.g. KWT"),
    OpenApiParameter("discipline", OpenApiTypes.STR, description="Only courses of this discipline (its code)"),
    OpenApiParameter("course", OpenApiTypes.STR, description="Only this course (its code)"),
    OpenApiParameter("delivery", OpenApiTypes.STR, enum=DeliveryMethod.values, description="Only this delivery method"),
]


COURSE_FIGURES = ("fill", "runs", "reaction", "reaction_responses", "gain", "tested")


class YearReportView(APIView):
    """A year's figures: the seat funnel (seats offered and bid, nominations, confirmed seats,
    attendance, graduates) in total, by nation or organisation and by course; where the nominations
    stand; the runs open for nominations now. A point of contact's figures count their own nation's
    (or organisation's) seats and people only."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy_resource = "report"

    @extend_schema(parameters=FILTER_PARAMETERS, responses=YearReportSerializer)
    def get(self, request):
        try:
            filters = Filters.from_query(request.query_params)
        except DjangoValidationError as invalid:
            raise ValidationError(invalid.message_dict) from None
        figures = SeatFunnel(request.user, filters).figures()
        by_course = [
            {
                "course": row["course"].code,
                "title_en": row["course"].title_en,
                "title_ar": row["course"].title_ar,
                **{key: row[key] for key in (*STAGES, *COURSE_FIGURES)},
            }
            for row in figures["by_course"]
        ]
        data = {
            "year": filters.year,
            "hijri_years": filters.hijri_years,
            "filters": filters.as_query(year=str(filters.year)),
            "whole_centre": figures["whole_centre"],
            "runs": figures["runs"],
            "totals": figures["totals"],
            "by_party": figures["by_party"],
            "by_course": by_course,
            "pipeline": figures["pipeline"],
            "open_runs": [
                {
                    "iteration": run["iteration"].code,
                    "course": run["iteration"].course.code,
                    "start_date": run["iteration"].start_date,
                    "nominations_close": run["iteration"].nominations_close,
                    "days_left": run["days_left"],
                    "nominations": run["nominations"],
                    "seats_confirmed": run["iteration"].seats_confirmed,
                    "capacity": run["iteration"].capacity,
                }
                for run in open_runs(request.user, filters)
            ],
        }
        # Already plain values of the shape YearReportSerializer documents: two thousand courses are not
        # passed through its fields a second time.
        return Response(data)
