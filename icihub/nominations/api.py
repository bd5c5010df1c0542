"""REST endpoints for persons and nominations with their actions (withdraw, replace, approve, defer,
reject). Reads are scoped to the caller's nation exactly as the pages are; writes go through
nominations.services, whose messages come back as 400 (bad input) or 409 (state forbids it)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from icihub.accounts import policy
from icihub.accounts.api_permissions import PolicyPermission
from icihub.nominations import services
from icihub.nominations.models import Nomination, Person, Service
from icihub.pagination import ByName, NewestFirst
from icihub.partners.models import Nation
from icihub.serializers import FieldsBuiltOnce


class PersonSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    nation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Nation.objects.all(),
        required=False,
        help_text="ISO alpha-3; only an organisation's point of contact names it, others register their own nationals",
    )
    service = serializers.ChoiceField(choices=Service.choices)

    class Meta:
        model = Person
        fields = ["id", "nation", *services.PERSON_FIELDS]


class NominationSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    iteration = serializers.CharField(source="iteration.code", read_only=True)
    course = serializers.CharField(source="iteration.course.code", read_only=True)
    person = PersonSerializer(read_only=True)
    party = serializers.SerializerMethodField()
    replaces = serializers.UUIDField(source="replaces.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "iteration",
            "course",
            "person",
            "party",
            "status",
            "priority",
            "reason",
            "submitted_at",
            "decided_at",
            "replaces",
        ]
        read_only_fields = fields

    def get_party(self, nomination) -> str:
        return (nomination.nation or nomination.organisation).code


class NominateSerializer(serializers.Serializer):
    iteration = serializers.CharField(max_length=20, help_text="Iteration code, e.g. M5-33-C-19")
    person = PersonSerializer(required=False, help_text="A new person (or one matched by e-mail)")
    person_id = serializers.UUIDField(required=False, help_text="A person already on record")
    priority = serializers.IntegerField(min_value=1, max_value=9, default=5)


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Shown to the point of contact")


class SubstituteSerializer(serializers.Serializer):
    person = PersonSerializer(required=False)
    person_id = serializers.UUIDField(required=False)


def _as_person_data(validated: dict) -> dict:
    """Validated person fields as the services take them: references as codes."""
    data = dict(validated)
    if data.get("nation") is not None:
        data["nation"] = data["nation"].code
    return data


def _person_args(request, data) -> dict:
    if data.get("person_id"):
        return {"person": policy.get_person(request.user, data["person_id"])}
    if data.get("person"):
        return {"person_data": _as_person_data(data["person"])}
    raise serializers.ValidationError({"person": ["Give the person, or person_id of a person on record."]})


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Persons registered by the caller's nation (staff: all), by name, a page at a time from a cursor."""

    policy_resource = "person"
    permission_classes = [IsAuthenticated, PolicyPermission]
    serializer_class = PersonSerializer
    pagination_class = ByName
    lookup_field = "public_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return policy.visible_persons(self.request.user, Person.objects.select_related("nation"))

    def perform_create(self, serializer):
        serializer.instance = services.save_person(
            actor=self.request.user, data=_as_person_data(serializer.validated_data), source="api"
        )

    def perform_update(self, serializer):
        data = {**PersonSerializer(serializer.instance).data, **_as_person_data(serializer.validated_data)}
        serializer.instance = services.save_person(
            actor=self.request.user, data=data, person=serializer.instance, source="api"
        )


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nominations of the caller's nation (staff: all), newest first, a page at a time from a cursor.
    POST nominates; the actions move one on."""

    policy_resource = "nomination"
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy_verb = None  # set per action
    serializer_class = NominationSerializer
    pagination_class = NewestFirst
    lookup_field = "public_id"
    filterset_fields = ["status", "iteration__code"]

    def get_queryset(self):
        return Nomination.objects.visible_to(self.request.user).select_related(
            "iteration__course", "person__nation", "nation", "organisation", "replaces"
        )

    @extend_schema(request=NominateSerializer, responses={201: NominationSerializer})
    def create(self, request, *args, **kwargs):
        data = NominateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        iteration = policy.get_iteration(request.user, data.validated_data["iteration"])
        nomination = services.nominate(
            actor=request.user,
            iteration=iteration,
            priority=data.validated_data["priority"],
            source="api",
            **_person_args(request, data.validated_data),
        )
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data, status=201)

    def _act(self, request, function, body=None, **kwargs):
        """Find the nomination first (404 before anything else), then read the body, then act."""
        nomination = self.get_object()
        if body is not None:
            body.is_valid(raise_exception=True)
            kwargs.update(body.validated_data)
        result = function(actor=request.user, nomination=nomination, source="api", **kwargs)
        return Response(NominationSerializer(self.get_queryset().get(pk=result.pk)).data)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], policy_verb="withdraw")
    def withdraw(self, request, public_id=None, format=None):
        return self._act(request, services.withdraw)

    @extend_schema(request=SubstituteSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"], policy_verb="replace")
    def replace(self, request, public_id=None, format=None):
        """A substitute takes over this nomination's seat or place; the answer is the substitute's nomination."""
        nomination = self.get_object()
        data = SubstituteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        substitute = services.replace(
            actor=request.user, nomination=nomination, source="api", **_person_args(request, data.validated_data)
        )
        return Response(NominationSerializer(self.get_queryset().get(pk=substitute.pk)).data)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], policy_verb="decide")
    def approve(self, request, public_id=None, format=None):
        return self._act(request, services.approve)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], policy_verb="decide")
    def defer(self, request, public_id=None, format=None):
        return self._act(request, services.defer)

    @extend_schema(request=RejectionSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"], policy_verb="decide")
    def reject(self, request, public_id=None, format=None):
        return self._act(request, services.reject, body=RejectionSerializer(data=request.data))
