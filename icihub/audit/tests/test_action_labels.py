"""Every audit action code has words in English and Arabic (audit/actions.py), and the audit page shows
them instead of the code: a code written anywhere in the product without a label fails here."""

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.utils import translation

from icihub.audit import actions
from icihub.audit.models import AuditEvent
from icihub.audit.services import record
from icihub.demo.loader import load_demo
from icihub.nominations.models import Status as NominationStatus
from icihub.partners.admin import AuditedAdmin
from icihub.planning.models import Iteration
from icihub.programmes.models import Programme

SOURCE = Path(__file__).resolve().parents[2]  # the icihub package

# The codes built at run time, f"<prefix>{status}", and the values they take.
FAMILIES = {
    "nomination.": NominationStatus.values,
    "iteration.": Iteration.Status.values,
    "programme.": Programme.Status.values,
}


def _strings(node: ast.AST) -> set[str]:
    """The whole string literals in `node` (not the pieces of an f-string)."""
    pieces = {id(v) for n in ast.walk(node) if isinstance(n, ast.JoinedStr) for v in n.values}
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in pieces
    }


def _prefixes(node: ast.AST) -> set[str]:
    """The literal start of every f-string in `node`: f"nomination.{to}" -> "nomination."."""
    return {
        n.values[0].value
        for n in ast.walk(node)
        if isinstance(n, ast.JoinedStr) and n.values and isinstance(n.values[0], ast.Constant)
    }


def written_codes() -> tuple[set[str], set[str]]:
    """(codes, f-string prefixes) passed as `action=` to a call, assigned to `action`, or given to
    programmes' _event_done, in every module outside the tests and migrations."""
    codes, prefixes = set(), set()
    for path in SOURCE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(SOURCE).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            values = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "action"]
                if getattr(node.func, "id", None) == "_event_done" and len(node.args) >= 4:
                    values.append(node.args[3])
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "action" for t in node.targets):
                values.append(node.value)
            for value in values:
                codes |= {s for s in _strings(value) if "." in s and " " not in s}
                prefixes |= _prefixes(value)
    return codes, prefixes


def test_every_action_code_written_in_the_services_has_a_label():
    codes, prefixes = written_codes()
    assert {"course.created", "event.approved", "allocation.to_pool", "person.updated"} <= codes  # the reader works
    assert prefixes <= set(FAMILIES), "a new family of codes: add it to FAMILIES"
    for prefix, values in FAMILIES.items():
        codes |= {prefix + value for value in values}
    assert sorted(codes - set(actions.LABELS)) == []


def test_every_reference_model_saved_from_the_admin_has_labels():
    models = set()
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            models |= {model} | {inline.model for inline in model_admin.inlines}
    names = {model._meta.model_name for model in models}
    assert sorted(names - set(actions.REFERENCE)) == []


@pytest.mark.django_db
def test_every_action_of_the_demo_has_a_label():
    load_demo()
    written = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    assert sorted(written - set(actions.LABELS)) == []


def test_every_label_is_translated_into_arabic():
    with translation.override("en"):
        english = {code: str(label) for code, label in actions.LABELS.items()}
    with translation.override("ar"):
        assert [code for code, label in actions.LABELS.items() if str(label) == english[code]] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", ["Nomination approved", "<td>user <bdi"]), ("ar", ["تمت الموافقة على الترشيح", "<td>مستخدم <bdi"])],
)
def test_the_audit_page_shows_the_action_and_the_kind_of_record_in_words(personas, client_for, language, shown):
    record(actor=personas["registrar"], action="nomination.approved", obj=personas["participant"], source="test")
    page = client_for(personas["centre_admin"]).get(f"/{language}/staff/audit/").content.decode()
    assert all(words in page for words in shown), shown
