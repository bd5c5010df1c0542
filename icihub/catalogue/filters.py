"""Catalogue search and filters, shared by the public pages, the export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import SEARCH_MAX_LENGTH, Course, DeliveryMethod, Level

# Codes are a few letters; a longer one matches nothing, and SQLite refuses LIKE patterns past 50,000 bytes.
CODE_MAX_LENGTH = 50


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=SEARCH_MAX_LENGTH)
    discipline = django_filters.CharFilter(
        field_name="discipline__code", lookup_expr="iexact", label=_("Discipline"), max_length=CODE_MAX_LENGTH
    )
    delivery = django_filters.ChoiceFilter(
        field_name="delivery_method", choices=DeliveryMethod.choices, label=_("Delivery method")
    )
    audience = django_filters.CharFilter(
        method="filter_audience", label=_("Audience (framework or nation code)"), max_length=CODE_MAX_LENGTH
    )
    language = django_filters.CharFilter(method="filter_language", label=_("Language"), max_length=CODE_MAX_LENGTH)
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, label=_("Level"))

    class Meta:
        model = Course
        fields = ["q", "discipline", "delivery", "audience", "language", "level"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_audience(self, queryset, name, value):
        through_frameworks = Course.audience_frameworks.through.objects.filter(framework__code__iexact=value)
        through_nations = Course.audience_nations.through.objects.filter(nation__code__iexact=value)
        return queryset.filter(
            Q(pk__in=through_frameworks.values("course_id")) | Q(pk__in=through_nations.values("course_id"))
        )

    def filter_language(self, queryset, name, value):
        through = Course.languages.through.objects.filter(language__code__iexact=value)
        return queryset.filter(pk__in=through.values("course_id"))
