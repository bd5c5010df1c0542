"""REST endpoints for partnership programmes, their goals, the cooperation menu and events.

Reads are scoped exactly as the pages are (policy.visible_programmes, visible_menu, visible_events):
a point of contact sees their own nation's programme and nothing of another partner's, staff and HQ
see all, anyone else nothing. Programmes, goals and events are read-only here (they change on their
pages); menu activities are created and changed through services.save_menu_activity, whose per-field
messages come back as a 400 JSON body. Goal progress is computed by progress.py."""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from icihub.accounts import policy
from icihub.accounts.api_permissions import PolicyPermission
from icihub.partners.models import Nation
from icihub.programmes import progress, services, transfer
from icihub.programmes.models import Event, Goal, Kind, MenuActivity, Programme, Registration
from icihub.programmes.progress import GoalProgress

# --- programmes and goals ------------------------------------------------------------------------


class SupportSerializer(serializers.Serializer):
    """An activity supporting a goal: an iteration of a catalogue course, or an event."""

    iteration = serializers.CharField(allow_null=True, help_text="Iteration code, when the activity is an iteration")
    event = serializers.UUIDField(allow_null=True, help_text="Event id, when the activity is an event")
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.CharField(help_text="The iteration's or the event's status")


def _supports(report: GoalProgress) -> list[dict]:
    iterations = [
        {
            "iteration": iteration.code,
            "event": None,
            "title_en": iteration.course.title_en,
            "title_ar": iteration.course.title_ar,
            "starts_on": iteration.start_date,
            "ends_on": iteration.end_date,
            "status": iteration.status,
        }
        for iteration in report.iterations
    ]
    events = [
        {
            "iteration": None,
            "event": event.public_id,
            "title_en": event.title_en,
            "title_ar": event.title_ar,
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
            "status": event.status,
        }
        for event in report.events
    ]
    return iterations + events


class GoalProgressSerializer(serializers.Serializer):
    held = serializers.IntegerField(help_text="Supporting activities held")
    trained = serializers.IntegerField(help_text="The partner's people trained by the supporting activities")
    value = serializers.IntegerField(help_text="The goal's measure so far: people trained or activities held")
    percent = serializers.IntegerField(help_text="value against target, at most 100")
    late = serializers.BooleanField(help_text="Not reached and past its target date")
    reaction = serializers.FloatField(allow_null=True, help_text="Mean end-of-course score, 1 to 5 (level 1)")
    gain = serializers.FloatField(allow_null=True, help_text="The partner's participants' mean test gain (level 2)")


class GoalSerializer(serializers.Serializer):
    """A partnership goal: its owner, target date, indicator, progress and supporting activities."""

    # The instance is a progress.GoalProgress, which holds the goal.

    id = serializers.UUIDField(source="goal.public_id")
    programme = serializers.UUIDField(source="goal.objective.programme.public_id")
    objective = serializers.IntegerField(source="goal.objective.position", help_text="The objective's position")
    position = serializers.IntegerField(source="goal.position")
    title_en = serializers.CharField(source="goal.title_en")
    title_ar = serializers.CharField(source="goal.title_ar")
    owner = serializers.CharField(source="goal.owner")
    target_date = serializers.DateField(source="goal.target_date")
    indicator_en = serializers.CharField(source="goal.indicator_en")
    indicator_ar = serializers.CharField(source="goal.indicator_ar")
    measure = serializers.ChoiceField(source="goal.measure", choices=Goal.Measure.choices)
    target = serializers.IntegerField(source="goal.target")
    progress = GoalProgressSerializer(source="*")
    supports = serializers.SerializerMethodField()

    @extend_schema_field(SupportSerializer(many=True))
    def get_supports(self, report: GoalProgress) -> list[dict]:
        return SupportSerializer(_supports(report), many=True).data


class StrategicObjectiveSerializer(serializers.Serializer):
    """A strategic objective of a programme, with its partnership goals."""

    # The instance is a progress.ObjectiveProgress.

    position = serializers.IntegerField(source="objective.position")
    title_en = serializers.CharField(source="objective.title_en")
    title_ar = serializers.CharField(source="objective.title_ar")
    percent = serializers.IntegerField(help_text="Mean of its goals' percent")
    goals = GoalSerializer(many=True)


class ProgrammeProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField(help_text="Mean of its objectives' percent")
    held = serializers.IntegerField(help_text="Supporting activities held, each counted once")
    trained = serializers.IntegerField(help_text="The partner's people trained, each activity counted once")


class ProgrammeSerializer(serializers.Serializer):
    """A partner's programme (ITPP or IPCP): strategic objectives -> partnership goals -> supporting
    activities, with its progress."""

    # The instance is a progress.ProgrammeProgress, which holds the programme.

    id = serializers.UUIDField(source="programme.public_id")
    nation = serializers.CharField(source="programme.nation.code", help_text="ISO 3166 alpha-3 code of the partner")
    kind = serializers.ChoiceField(source="programme.kind", choices=Programme.Kind.choices)
    title_en = serializers.CharField(source="programme.title_en")
    title_ar = serializers.CharField(source="programme.title_ar")
    starts_on = serializers.DateField(source="programme.starts_on")
    ends_on = serializers.DateField(source="programme.ends_on")
    status = serializers.ChoiceField(source="programme.status", choices=Programme.Status.choices)
    progress = ProgrammeProgressSerializer(source="*")
    objectives = StrategicObjectiveSerializer(many=True)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, PolicyPermission]
    lookup_field = "public_id"


class ProgrammeViewSet(ReadOnlyViewSet):
    """The programmes the caller may see: a point of contact their own nation's, staff and HQ all."""

    policy_resource = "programme"
    serializer_class = ProgrammeSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return policy.visible_programmes(self.request.user, Programme.objects.select_related("nation"))

    def get_serializer(self, instance=None, *args, **kwargs):
        """Serialize each programme's progress report, which holds the programme itself."""
        if kwargs.get("many"):
            instance = [progress.of(programme) for programme in instance]
        elif isinstance(instance, Programme):
            instance = progress.of(instance)
        return super().get_serializer(instance, *args, **kwargs)


def _goal_reports(goals) -> list[GoalProgress]:
    """Each goal's progress report; each programme's progress is computed once for all its goals."""
    programmes = {goal.objective.programme_id: goal.objective.programme for goal in goals}
    reports = {
        report.goal.pk: report
        for programme in programmes.values()
        for objective in progress.of(programme).objectives
        for report in objective.goals
    }
    return [reports[goal.pk] for goal in goals if goal.pk in reports]


class GoalFilter(django_filters.FilterSet):
    programme = django_filters.UUIDFilter(field_name="objective__programme__public_id", label="The programme's id")

    class Meta:
        model = Goal
        fields = ["programme", "measure"]


class GoalViewSet(ReadOnlyViewSet):
    """The partnership goals of the programmes the caller may see, with their progress."""

    policy_resource = "programme"
    serializer_class = GoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self):
        programmes = policy.visible_programmes(self.request.user, Programme.objects.all())
        return (
            Goal.objects.filter(objective__programme__in=programmes)
            .select_related("objective__programme__nation")
            .order_by(
                "objective__programme__nation__code",
                "-objective__programme__starts_on",
                "objective__position",
                "position",
            )
        )

    def get_serializer(self, instance=None, *args, **kwargs):
        """Serialize each goal's progress report, which holds the goal itself."""
        if kwargs.get("many"):
            instance = _goal_reports(instance)
        elif isinstance(instance, Goal):
            instance = _goal_reports([instance])[0]
        return super().get_serializer(instance, *args, **kwargs)


# --- the cooperation menu ------------------------------------------------------------------------


class CourseCodeField(serializers.CharField):
    """A catalogue course, written and read as its code."""

    def to_representation(self, course) -> str:
        return course.code


class FrameworkCodesField(serializers.ListField):
    """Frameworks, written and read as a list of codes."""

    child = serializers.CharField(max_length=20)

    def to_representation(self, frameworks) -> list[str]:
        return sorted(framework.code for framework in frameworks.all())


class MenuActivitySerializer(serializers.Serializer):
    """An activity of the cooperation menu, open to partners of the frameworks named."""

    # Types only: every rule is checked by services.save_menu_activity, as for a file's rows.

    code = serializers.CharField(max_length=30, help_text="Unique code; it does not change once created")
    kind = serializers.ChoiceField(choices=Kind.choices)
    # Blank titles pass here so the service reports them together with every other problem.
    title_en = serializers.CharField(max_length=300, allow_blank=True)
    title_ar = serializers.CharField(max_length=300, allow_blank=True)
    course = CourseCodeField(
        max_length=20,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Catalogue course code: for a course activity, and only for one",
    )
    open_to = FrameworkCodesField(help_text='Framework codes the activity is open to, e.g. ["ICI", "GCC"]')
    description_en = serializers.CharField(required=False, allow_blank=True)
    description_ar = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, help_text="Left out on creation: true")

    def service_data(self) -> dict:
        """The validated input as save_menu_activity reads it (the file's columns); on an update the
        activity's other values are kept."""
        data = dict(zip(transfer.COLUMNS, transfer.menu_row(self.instance), strict=True)) if self.instance else {}
        for name, value in self.validated_data.items():
            if name == "open_to":
                value = ";".join(value)
            elif name == "active":
                value = "Y" if value else "N"
            data[name] = value or ""
        if self.instance is not None:
            data["code"] = self.instance.code
        return data

    def validate_code(self, code: str) -> str:
        code = code.strip().upper()
        if self.instance is not None and code != self.instance.code:
            raise serializers.ValidationError(_("The code of an activity does not change."))
        if self.instance is None and MenuActivity.objects.filter(code=code).exists():
            raise serializers.ValidationError(
                _("The menu already has an activity %(code)s; change it at /api/menu/%(code)s/.") % {"code": code}
            )
        return code


class TrueOrFalseField(forms.NullBooleanField):
    """true or false (or 1, 0), in any case; nothing given, no filter. Anything else is refused with a
    400, as an unknown value of a choice filter is, rather than read as no filter at all (django-filter's
    own boolean filter drops a value it does not know, so ?active=yes listed every activity)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        meant = {"true": True, "1": True, "false": False, "0": False}.get(str(value).strip().lower())
        if meant is None:
            raise forms.ValidationError(_("Give true or false."), code="invalid")
        return meant


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = TrueOrFalseField


class MenuActivityFilter(django_filters.FilterSet):
    active = TrueOrFalseFilter(label="Offered now (true or false)")

    class Meta:
        model = MenuActivity
        fields = ["kind", "active"]


class MenuActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The cooperation menu as the caller may see it; catalogue editors create and change activities."""

    policy_resource = "menu"
    permission_classes = [IsAuthenticated, PolicyPermission]
    serializer_class = MenuActivitySerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = MenuActivityFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @property
    def policy_verb(self) -> str:
        """Creating and changing an activity are both the policy's "edit"."""
        return "view" if self.request.method in SAFE_METHODS else "edit"

    def get_queryset(self):
        activities = MenuActivity.objects.select_related("course").prefetch_related("open_to")
        return policy.visible_menu(self.request.user, activities)

    def perform_create(self, serializer):
        activity = services.save_menu_activity(
            actor=self.request.user, data=serializer.service_data(), source="api", create=True
        )
        serializer.instance = self.get_queryset().get(pk=activity.pk)

    def perform_update(self, serializer):
        activity = services.save_menu_activity(actor=self.request.user, data=serializer.service_data(), source="api")
        serializer.instance = self.get_queryset().get(pk=activity.pk)


# --- events --------------------------------------------------------------------------------------


def registrations_seen_by(user):
    """As on the event page (policy.visible_registrations)."""
    return policy.visible_registrations(user, Registration.objects.select_related("person", "nation"))


class RegistrationSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    full_name = serializers.CharField(source="person.full_name", read_only=True)
    rank = serializers.CharField(source="person.rank", read_only=True)
    nation = serializers.CharField(source="nation.code", read_only=True)

    class Meta:
        model = Registration
        fields = ["person", "full_name", "rank", "nation", "registered_at", "attended"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    activity = serializers.CharField(source="activity.code", read_only=True, help_text="Cooperation menu code")
    kind = serializers.ChoiceField(source="activity.kind", choices=Kind.choices, read_only=True)
    invited = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="ISO 3166 alpha-3 codes of the invited nations"
    )
    registrations = RegistrationSerializer(
        source="visible_registrations",
        many=True,
        read_only=True,
        help_text="Staff and HQ: all; a point of contact: their own nation's",
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "activity",
            "kind",
            "title_en",
            "title_ar",
            "starts_on",
            "ends_on",
            "location_en",
            "location_ar",
            "capacity",
            "status",
            "invited",
            "registrations",
        ]
        read_only_fields = fields


class EventViewSet(ReadOnlyViewSet):
    """Events the caller may see: staff and HQ all, a point of contact those their nation is invited to."""

    policy_resource = "event"
    serializer_class = EventSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        events = Event.objects.select_related("activity").prefetch_related(
            Prefetch("invited", queryset=Nation.objects.order_by("code")),
            Prefetch(
                "registrations", queryset=registrations_seen_by(self.request.user), to_attr="visible_registrations"
            ),
        )
        return policy.visible_events(self.request.user, events)
