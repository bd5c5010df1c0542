"""REST endpoints for frameworks, nations and organisations: anyone may read (reference data is
public), centre administrators may write; every write goes through partners.services."""

import django_filters
from rest_framework import serializers, viewsets

from icihub.partners import services
from icihub.partners.models import Framework, Membership, Nation, Organisation


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["code", "name_en", "name_ar", "description"]


class MembershipSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Membership
        fields = ["framework", "status", "joined_on", "left_on"]


class NationSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Nation
        fields = ["code", "name_en", "name_ar", "memberships"]


class OrganisationSerializer(serializers.ModelSerializer):
    nation = serializers.SlugRelatedField(
        slug_field="code", queryset=Nation.objects.all(), required=False, allow_null=True
    )
    framework = serializers.SlugRelatedField(
        slug_field="code", queryset=Framework.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Organisation
        fields = ["code", "name_en", "name_ar", "type", "nation", "framework"]


class ReferenceViewSet(viewsets.ModelViewSet):
    """Reads open to all; writes checked by the policy and done by the reference-data service."""

    policy_resource = "reference"
    lookup_field = "code"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_reference(
            actor=self.request.user, instance=self.queryset.model(**serializer.validated_data), source="api"
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(instance, field, value)
        services.save_reference(actor=self.request.user, instance=instance, source="api")

    def perform_destroy(self, instance):
        services.delete_reference(actor=self.request.user, instance=instance, source="api")


class NationFilter(django_filters.FilterSet):
    framework = django_filters.CharFilter(method="filter_framework", label="Member of framework (code)")

    class Meta:
        model = Nation
        fields = ["framework"]

    def filter_framework(self, queryset, name, value):
        current = Membership.objects.filter(framework__code__iexact=value).exclude(status=Membership.Status.FORMER)
        return queryset.filter(pk__in=current.values("nation_id"))


class FrameworkViewSet(ReferenceViewSet):
    queryset = Framework.objects.all()
    serializer_class = FrameworkSerializer


class NationViewSet(ReferenceViewSet):
    queryset = Nation.objects.prefetch_related("memberships__framework")
    serializer_class = NationSerializer
    filterset_class = NationFilter


class OrganisationViewSet(ReferenceViewSet):
    queryset = Organisation.objects.select_related("nation", "framework")
    serializer_class = OrganisationSerializer
    filterset_fields = {"type": ["exact"], "nation__code": ["exact"], "framework__code": ["exact"]}
