"""The reports' figures as JSON, scoped like the pages (a point of contact gets their own nation's)."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from icihub.accounts.api_permissions import PolicyPermission
from icihub.audit.services import record
from icihub.catalogue.models import DeliveryMethod
from icihub.reports import files
from icihub.reports.models import ReportFile
from icihub.reports.queries import FIGURE_FILTERS, STAGES, Filters, SeatFunnel, open_runs


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
    late_withdrawn = serializers.IntegerField(help_text="Withdrawn after the run's nominations closed")
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
    since = serializers.IntegerField(allow_null=True, help_text="The first year of the range counted, or null")
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
    OpenApiParameter(
        "since", OpenApiTypes.INT, description="Count the runs from this year to `year` (default: `year` alone)"
    ),
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
            "since": filters.since,
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


class ReportFileRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportFile.Kind.choices)
    year = serializers.IntegerField(required=False, help_text="As the year report's filters (default: this year)")
    since = serializers.IntegerField(required=False)
    framework = serializers.CharField(required=False)
    nation = serializers.CharField(required=False)
    discipline = serializers.CharField(required=False)
    course = serializers.CharField(required=False, help_text="A course code; for rows, also narrows the rows")
    delivery = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)
    stage = serializers.ChoiceField(
        choices=list(FIGURE_FILTERS), required=False, help_text="For rows_xlsx: the figure whose nominations to list"
    )
    party = serializers.CharField(required=False, help_text="For rows_xlsx: a nation's or organisation's code")


class ReportFileSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=ReportFile.Kind.choices)
    query = serializers.DictField(help_text="The filters the file counts")
    state = serializers.ChoiceField(choices=ReportFile.State.choices)
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    error = serializers.CharField(help_text='"stopped" (its process died) or "failed"; empty when it did not fail')
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download = serializers.SerializerMethodField(help_text="Where to fetch the file once it is made")

    def get_download(self, job) -> str | None:
        if files.path(job) is None:
            return None
        return self.context["request"].build_absolute_uri(reverse("api-report-file-download", args=[job.public_id]))


class ReportFilesView(APIView):
    """The caller's report files: ask for one (the annual activity report as PDF or workbook, or the
    nominations behind a figure as a workbook), made in the background from what the caller may see;
    follow it at its own address until its state is done, then fetch it. One file at a time per caller
    (409 while one is on its way)."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy_resource = "report"
    policy_verb = "view"

    @extend_schema(responses=ReportFileSerializer(many=True))
    def get(self, request):
        files.end_stale(request.user)
        mine = ReportFile.objects.filter(requested_by=request.user)[: files.SHOWN]
        return Response(ReportFileSerializer(mine, many=True, context={"request": request}).data)

    @extend_schema(request=ReportFileRequestSerializer, responses={202: ReportFileSerializer})
    def post(self, request):
        asked = ReportFileRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        query = {name: str(value) for name, value in asked.validated_data.items() if name != "kind"}
        job = files.request(actor=request.user, kind=asked.validated_data["kind"], query=query, source="api")
        return Response(ReportFileSerializer(job, context={"request": request}).data, status=202)


def _own_file(request, public_id: str) -> ReportFile:
    # The address takes any text (not a uuid converter), so that an anonymous caller is refused (401)
    # before a malformed id is looked at, as on every other API address.
    try:
        public_id = uuid.UUID(public_id)
    except ValueError:
        raise NotFound("No such report file of yours.") from None
    job = ReportFile.objects.filter(public_id=public_id, requested_by=request.user).first()
    if job is None:
        raise NotFound("No such report file of yours.")
    return job


class ReportFileView(APIView):
    """One of the caller's report files: its state and progress, and where to fetch it once made."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy_resource = "report"

    @extend_schema(responses=ReportFileSerializer)
    def get(self, request, public_id):
        files.end_stale(request.user)
        return Response(ReportFileSerializer(_own_file(request, public_id), context={"request": request}).data)


class ReportFileDownloadView(APIView):
    """A made report file of the caller's (PDF or XLSX); the download is recorded."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy_resource = "report"

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, public_id):
        job = _own_file(request, public_id)
        found = files.path(job)
        if found is None:
            raise NotFound("The file is not made yet, or no longer kept.")
        with transaction.atomic():
            record(actor=request.user, action="report.file_downloaded", obj=job, source="api")
        return FileResponse(found.open("rb"), as_attachment=True, filename=files.download_name(job))
