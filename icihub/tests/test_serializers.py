"""FieldsBuiltOnce: a serializer's fields are built from the model once per class, and every instance
still gets fields of its own, bound to it (nothing one request's serializer holds reaches another's)."""

import pytest
from rest_framework import serializers

from icihub.nominations.api import NominationSerializer, PersonSerializer
from icihub.nominations.services import PERSON_FIELDS


def test_fields_are_built_once_per_class(monkeypatch):
    assert PersonSerializer().fields  # built (or already built by an earlier test)
    built = []
    original = serializers.ModelSerializer.build_field

    def counting(self, *args, **kwargs):
        built.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counting)
    assert set(PersonSerializer().fields) == {"id", "nation", *PERSON_FIELDS}
    assert built == []


@pytest.mark.parametrize("serializer_class", [PersonSerializer, NominationSerializer])
def test_each_instance_has_fields_of_its_own_bound_to_it(serializer_class):
    first, second = serializer_class(), serializer_class()
    for name, field in first.fields.items():
        assert field is not second.fields[name]
        assert field.parent is first and second.fields[name].parent is second
