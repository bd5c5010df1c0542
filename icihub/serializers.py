"""What the API's serializers share."""

import copy

# A ModelSerializer builds its fields from the model's options on every instance, about half a
# millisecond for a person: on a nomination (a person in, a nomination with its person out) that was a
# tenth of the request's own work. FieldsBuiltOnce builds them once per class and hands each instance a
# deep copy, as DRF itself does with declared fields. Only for serializers whose fields depend on their
# class alone (not on the instance, the context or the request). A comment, not a docstring: the API's
# schema shows a serializer's docstring, inherited ones included, to its readers.


class FieldsBuiltOnce:
    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
