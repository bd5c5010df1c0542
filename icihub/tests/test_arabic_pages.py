"""Arabic pages say everything in Arabic: the pages a registrar, a point of contact, a participant and
the centre administrator reach from their start pages, and a visitor's public pages (following the
links, with the demo's data), are read as a person sees them, and any interface text left in English
fails the test. The gettext catalogue is 100 % translated.

Two checks on each page's visible text (and its titles, placeholders and labels):
- a text that is a msgid of the catalogue is interface text that was not translated;
- a run of two or more English words that is not data (a value stored in the database: a name, a
  comment typed in English, a title with no Arabic; an English value whose Arabic twin is filled in
  does not count) is interface text that is not in the catalogue at all (a computed label, an error
  written in English).
Text marked as English on purpose (lang="en", the language switch), code samples, form fields being
edited, words holding a digit (codes, dates) and names the Arabic catalogue itself keeps in Latin
letters (Sainte-Laguë) are left out."""

import re
from collections import Counter, deque
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from icihub.accounts.models import User
from icihub.catalogue.models import Course
from icihub.certificates.models import Certificate
from icihub.demo.loader import load_demo
from icihub.nominations.models import Iteration
from icihub.planning import planner

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "ar" / "LC_MESSAGES" / "django.po"
ROLES = ["registrar", "poc-kwt", "participant", "admin", None]  # None: a visitor not signed in
# Pages where the defects of issue 17 were found: the crawl must reach them.
MUST_READ = {
    "registrar": ["/ar/staff/planning/", "/ar/staff/courses/{course}/edit/", "/ar/staff/iterations/{completed}/class/"],
    "admin": ["/ar/staff/audit/"],
    None: ["/ar/", "/ar/courses/{course}/"],
}
PAGES_PER_ROUTE = 2  # pages of one route differ only in their data
MOST_PAGES = 90
# Links that are files, leave the session or are Django's own administration.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|json|zip|ics)$|/logout/|/admin/|/api/")
CODE = re.compile(r"[^\s]*\d[^\s]*")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ -]+[A-Za-z][A-Za-z'’]*)+")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class VisibleText(HTMLParser):
    """The texts a reader sees or hears, one per text node or labelling attribute."""

    SKIPPED = {"script", "style", "code", "pre", "template", "textarea"}  # a textarea holds data being edited
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.stack: list[bool] = []  # per open element: whether its text is skipped

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (self.stack and self.stack[-1]) or tag in self.SKIPPED or attributes.get("lang") == "en"
        if not skipped:
            self.texts += [attributes[name] for name in ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.texts.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def interface_msgids() -> tuple[set[str], list[re.Pattern]]:
    """The catalogue's msgids that are English words (not codes or names the Arabic keeps as they are),
    as plain texts and, for those with placeholders, as patterns of a whole text."""
    plain, patterns = set(), []
    for entry in polib.pofile(str(CATALOGUE)):
        msgid = " ".join(entry.msgid.split())
        if entry.msgstr == entry.msgid or not re.search(r"[a-z]{2,}", msgid):
            continue
        if "%(" in msgid or "%s" in msgid or "%d" in msgid:
            pieces = re.split(r"%(?:\([a-z_]+\))?[sdr]", msgid.replace("%%", "%"))
            if sum(len(piece.strip()) for piece in pieces) >= 12:
                patterns.append(re.compile(".+?".join(re.escape(piece) for piece in pieces)))
        else:
            plain.add(msgid)
    return plain, patterns


class StoredData:
    """What a page may show in English because it is data: every text value in the database (a
    comment typed in English, a course with no Arabic aim), and the words of its short values (names
    of people, codes, usernames), which pages put together ("OF-3 Saeed Al-Mazrouei")."""

    def __init__(self):
        values = []
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
            ]
            # An English value whose Arabic twin is filled in (title_en and title_ar, name and name_ar)
            # is not data an Arabic page may show: the page should show the twin.
            twins: dict[int, int] = {}
            for i, name in enumerate(fields):
                twin = f"{name.removesuffix('_en')}_ar"
                if twin != name and twin in fields:
                    twins[i] = fields.index(twin)
            for row in model.objects.values_list(*fields) if fields else ():
                values += [
                    " ".join(str(value).split())
                    for i, value in enumerate(row)
                    if value and not (i in twins and row[twins[i]])
                ]
        self.text = "\n".join(values)
        self.short = {value for value in values if len(value) <= 60}
        self.words = {word for value in self.short for word in WORD.findall(value)}

    def holds(self, text: str) -> bool:
        return text in self.short

    def explains(self, run: str) -> bool:
        return run in self.text or all(word in self.words or word.isupper() for word in WORD.findall(run))


def crawl(client: Client, seeds: list[str]) -> dict[str, str]:
    """url -> HTML of the pages reached from `seeds` by following /ar/ links."""
    queue, seen, per_route, pages = deque(seeds), set(seeds), Counter(), {}
    while queue and len(pages) < MOST_PAGES:
        url = queue.popleft()
        try:
            with translation.override("ar"):  # an /ar/ path resolves only in Arabic
                route = resolve(urlsplit(url).path).route
        except Resolver404:
            continue
        if per_route[route] >= PAGES_PER_ROUTE:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_route[route] += 1
        pages[url] = html = response.content.decode()
        for href in re.findall(r'href="(/ar/[^"#]*)"', html):
            href = unescape(href)
            if href not in seen and not NOT_PAGES.search(urlsplit(href).path):
                seen.add(href)
                queue.append(href)
    return pages


def kept_in_latin() -> set[str]:
    """The Latin runs the Arabic catalogue itself keeps (Sainte-Laguë, ISO alpha-3): names, not English."""
    return {run for entry in polib.pofile(str(CATALOGUE)) for run in LATIN_RUN.findall(_words_only(entry.msgstr))}


def _words_only(text: str) -> str:
    """The text without anything holding a digit (codes, dates, UUIDs, OF-3), which is never English."""
    return CODE.sub(" ", text)


def english_left(pages: dict[str, str], data: StoredData) -> list[str]:
    plain, patterns = interface_msgids()
    names = kept_in_latin()
    found = set()
    for url, html in pages.items():
        for text in visible_texts(html):
            if data.holds(text):  # a username "registrar" is not the role's msgid
                continue
            if text in plain or any(pattern.fullmatch(text) for pattern in patterns):
                found.add(f"{urlsplit(url).path}: {text!r} is a msgid")
                continue
            for run in LATIN_RUN.findall(_words_only(text)):
                if run not in names and not data.explains(run):
                    found.add(f"{urlsplit(url).path}: {run!r} in {text[:80]!r}")
    return sorted(found)


@pytest.fixture
def demo(db):
    load_demo()
    planner.start_run(
        actor=User.objects.get(username="registrar"),
        year=timezone.localdate().year + 1,
        time_limit=1,
        source="test",
        background=False,
    )


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_is_in_arabic(username, demo):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    completed = Iteration.objects.filter(status="completed").order_by("start_date").first().code
    course = (
        Course.objects.filter(payment_authority="Host nation (Kuwait)", releasable_to_public=True)
        .order_by("code")[0]
        .code
    )
    # The README tour's pages first (each route is read at most twice), then whatever they link to.
    seeds = [
        "/ar/",
        "/ar/my/",
        f"/ar/courses/{course}/",
        f"/ar/iterations/{completed}/",
        f"/ar/staff/iterations/{completed}/class/",
        f"/ar/staff/iterations/{completed}/evaluation/",
        f"/ar/staff/iterations/{completed}/certificates/",
        f"/ar/staff/courses/{course}/edit/",
        "/ar/staff/planning/",
        "/ar/staff/audit/",
        "/ar/iterations/",
        "/ar/nominations/",
        "/ar/accounts/",
        "/ar/reports/",
        "/ar/verify/",
        "/ar/check-in/",
        "/ar/accounts/login/",
        "/ar/accounts/password/reset/",
        "/ar/accounts/confirm/",
        "/ar/accounts/mfa/setup/",
        *(f"/ar/verify/{number}/" for number in Certificate.objects.values_list("number", flat=True)[:1]),
    ]
    pages = crawl(client, seeds)
    read = {urlsplit(url).path for url in pages}
    must = {page.format(course=course, completed=completed) for page in MUST_READ.get(username, [])}
    assert len(pages) >= 8 and must <= read, sorted(must - read)
    left = english_left(pages, StoredData())
    assert not left, f"{len(left)} English text(s) on {len(pages)} Arabic pages:\n" + "\n".join(left)


def test_the_catalogue_is_completely_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert catalogue.percent_translated() == 100
