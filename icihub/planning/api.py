"""REST endpoints for iterations: scoped reads, staff writes through planning.services, and the
seat actions of an iteration (bids, allocation, the common pool) through nominations.services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from icihub.accounts import policy, stepup
from icihub.nominations import services as seat_services
from icihub.nominations.models import SeatAllocation
from icihub.planning import services
from icihub.planning.models import Iteration


class IterationSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="code", read_only=True)
    course_title_en = serializers.CharField(source="course.title_en", read_only=True)
    course_title_ar = serializers.CharField(source="course.title_ar", read_only=True)
    pool = serializers.IntegerField(read_only=True)

    class Meta:
        model = Iteration
        fields = [
            "code",
            "course",
            "course_title_en",
            "course_title_ar",
            "start_date",
            "end_date",
            "venue",
            "location_en",
            "location_ar",
            "capacity",
            "status",
            "nominations_open",
            "nominations_close",
            "decision_deadline",
            "seats_allocated",
            "seats_confirmed",
            "pool",
            "pool_open_to_all",
            "reallocated_at",
        ]
        read_only_fields = fields


class IterationInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, required=False, help_text="Left out: the next free run letter")
    course = serializers.CharField(max_length=20, required=False, help_text="Course code")
    start_date = serializers.DateField(required=False)
    venue = serializers.ChoiceField(choices=Iteration.Venue.choices, required=False)
    location_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location_ar = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=500, required=False)
    nominations_open = serializers.DateField(required=False)
    nominations_close = serializers.DateField(required=False)
    decision_deadline = serializers.DateField(required=False)


class AllocationSerializer(serializers.ModelSerializer):
    iteration = serializers.CharField(source="iteration.code", read_only=True)
    party = serializers.CharField(source="party_code", read_only=True)

    class Meta:
        model = SeatAllocation
        fields = ["iteration", "party", "requested", "guaranteed", "cap", "seats", "confirmed"]
        read_only_fields = fields


class AdjustSerializer(serializers.Serializer):
    party = serializers.CharField(max_length=20, help_text="Nation or organisation code")
    seats = serializers.IntegerField(min_value=0, max_value=seat_services.MAX_SEATS)
    guaranteed = serializers.IntegerField(min_value=0, max_value=seat_services.MAX_SEATS, required=False)
    cap = serializers.IntegerField(
        min_value=0,
        max_value=seat_services.MAX_SEATS,
        required=False,
        allow_null=True,
        help_text="Left out: unchanged; null: no cap",
    )


class BidSerializer(serializers.Serializer):
    requested = serializers.IntegerField(min_value=0, max_value=seat_services.MAX_SEATS)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Iteration.Status.choices)


class IterationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Iterations the caller may see. Staff create and edit them; `status` moves one through its life."""

    policy_resource = "iteration"
    policy_verb = None  # set per action
    serializer_class = IterationSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["status", "course__code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Iteration.objects.visible_to(self.request.user).select_related("course")

    @extend_schema(request=IterationInputSerializer, responses=IterationSerializer)
    def create(self, request, *args, **kwargs):
        data = IterationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        iteration = services.create_iteration(actor=request.user, data=data.validated_data, source="api")
        return Response(IterationSerializer(iteration).data, status=201)

    @extend_schema(request=IterationInputSerializer, responses=IterationSerializer)
    def partial_update(self, request, *args, **kwargs):
        iteration = self.get_object()
        data = IterationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        iteration = services.update_iteration(
            actor=request.user, iteration=iteration, data=data.validated_data, source="api"
        )
        return Response(IterationSerializer(iteration).data)

    @extend_schema(request=StatusSerializer, responses=IterationSerializer)
    @action(detail=True, methods=["post"], policy_verb="edit")
    def status(self, request, code=None, format=None):
        iteration = self.get_object()
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = body.validated_data["status"]
        policy.require(request.user, "iteration", "cancel" if target == Iteration.Status.CANCELLED else "edit")
        iteration = services.change_status(actor=request.user, iteration=iteration, status=target, source="api")
        return Response(IterationSerializer(iteration).data)

    @extend_schema(responses=AllocationSerializer(many=True))
    @action(detail=True, methods=["get"], policy_verb="view", pagination_class=None, filter_backends=[])
    def allocations(self, request, code=None, format=None):
        iteration = self.get_object()
        rows = SeatAllocation.objects.visible_to(request.user).filter(iteration=iteration)
        rows = rows.select_related("iteration", "nation", "organisation")
        return Response(AllocationSerializer(rows, many=True).data)

    @extend_schema(request=BidSerializer, responses=AllocationSerializer)
    @action(detail=True, methods=["post"], policy_verb="view")
    def bid(self, request, code=None, format=None):
        iteration = self.get_object()
        if not policy.allows(request.user, "allocation", "bid"):
            self.permission_denied(request, message=_("Only a nation's point of contact asks for seats."))
        body = BidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        requested = body.validated_data["requested"]
        row = seat_services.bid(actor=request.user, iteration=iteration, requested=requested, source="api")
        return Response(AllocationSerializer(row).data)

    @extend_schema(request=None, responses=AllocationSerializer(many=True))
    @action(detail=True, methods=["post"], policy_verb="view", pagination_class=None, filter_backends=[])
    def allocate(self, request, code=None, format=None):
        """Share the seats among the bids with the course's divisor method; the record says why."""
        iteration = self.get_object()
        if policy.allows(request.user, "allocation", "allocate"):
            stepup.demand_for_api(request)
        seat_services.allocate_seats(actor=request.user, iteration=iteration, source="api")
        rows = SeatAllocation.objects.filter(iteration=iteration).select_related("iteration", "nation", "organisation")
        return Response(AllocationSerializer(rows, many=True).data)

    @extend_schema(request=AdjustSerializer, responses=AllocationSerializer)
    @action(detail=True, methods=["post"], policy_verb="view", url_path="adjust-allocation")
    def adjust_allocation(self, request, code=None, format=None):
        iteration = self.get_object()
        policy.require(request.user, "allocation", "allocate")
        stepup.demand_for_api(request)
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = data.validated_data["party"]
        row = SeatAllocation.objects.filter(iteration=iteration).of_party(party).first()
        if row is None:
            raise serializers.ValidationError({"party": [f"{party} has no seat request on {iteration.code}."]})
        row = seat_services.adjust_allocation(
            actor=request.user,
            allocation_row=row,
            seats=data.validated_data["seats"],
            guaranteed=data.validated_data.get("guaranteed", seat_services.KEEP),
            cap=data.validated_data.get("cap", seat_services.KEEP),
            source="api",
        )
        return Response(AllocationSerializer(row).data)
