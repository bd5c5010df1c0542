"""The year's charts, shared by the reports page and the annual activity report, and the annual activity
report itself: a bilingual PDF (the summary in English, then in Arabic right to left, then every course
once with both titles) and an XLSX workbook of the same figures with native charts. Both count what
their reader may see: the whole centre for staff and HQ, one nation's (or organisation's) seats and
people for its point of contact, narrowed by the filters like the page."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from icihub.accounts import policy
from icihub.catalogue.transfer import safe_for_spreadsheets
from icihub.nominations.models import Status
from icihub.planning.models import Iteration
from icihub.reports import charts, programmes
from icihub.reports.queries import (
    PIPELINE_FIGURES,
    PIPELINE_LABELS,
    STAGE_LABELS,
    STAGES,
    Filters,
    SeatFunnel,
)

LANGUAGES = ("en", "ar")
# Courses listed in the PDF, the most graduates first; the workbook lists every one. A centre runs a few
# dozen courses a year; a list of two thousand is no summary (and takes WeasyPrint half a minute alone).
PDF_COURSES = 200
CHART_CSS = Path(settings.BASE_DIR) / "static" / "icihub" / "charts.css"


def _no_link(*_args, **_kwargs) -> None:
    return None


def year_charts(figures: dict, filters: Filters, *, rtl: bool, link=_no_link, prefix: str = "") -> dict:
    """The seat funnel, graduates by party, graduates by year and the nations x disciplines heat map, in
    the active language; `link(stage, **narrower)` gives the address of the rows behind a figure, and
    `prefix` starts their ids (a document holding them twice)."""
    totals, by_party = figures["totals"], figures["by_party"]
    years, by_year = figures["trend"]
    parties, disciplines, by_discipline = figures["heat"]
    return {
        "funnel_chart": charts.bar_chart(
            id=f"{prefix}funnel",
            title=_("Seat funnel, %(year)s") % {"year": filters.period},
            description=_("Seats offered and bid, then nominations, confirmed seats, attendance and graduates."),
            bars=[(str(STAGE_LABELS[stage]), totals[stage], link(stage)) for stage in STAGES],
            rtl=rtl,
            value_heading=_("Number"),
        ),
        "graduates_chart": charts.bar_chart(
            id=f"{prefix}graduates",
            title=_("Graduates by nation or organisation, %(year)s") % {"year": filters.period},
            description=_("How many participants of each nation or organisation completed a course."),
            bars=[(row["party"], row["graduated"], link("graduated", party=row["party"])) for row in by_party],
            rtl=rtl,
            value_heading=_("Graduates"),
        ),
        "trend_chart": charts.stacked_bars(
            id=f"{prefix}trend",
            title=_("Graduates by year, %(first)s to %(last)s") % {"first": years[0], "last": years[-1]},
            description=_("Each bar is a year; its parts are the nations and organisations whose people graduated."),
            labels=[str(year) for year in years],
            series=by_year,
            rtl=rtl,
        ),
        "heat_chart": charts.heat_map(
            id=f"{prefix}disciplines",
            title=_("Graduates by nation or organisation and discipline, %(year)s") % {"year": filters.period},
            description=_("Each cell counts the graduates of one nation or organisation in one discipline."),
            rows=parties,
            columns=disciplines,
            values=by_discipline,
            rtl=rtl,
            link=lambda party, code: link("graduated", party=party, discipline=code),
        ),
    }


def scope_label(user, filters: Filters) -> str:
    """Whose figures these are, in the active language."""
    if not policy.sees_everything(user):
        party = user.organisation or user.nation
        return _("%(party)s only") % {"party": f"{party.name} ({party.code})"}
    narrowed = [value for value in (filters.nation, filters.framework) if value]
    return _("The whole centre") if not narrowed else _("Narrowed to %(parties)s") % {"parties": ", ".join(narrowed)}


def _both(text) -> str:
    """A label in English and in Arabic, for the parts of a file read in either."""
    english, arabic = (_in(language, text) for language in LANGUAGES)
    return english if english == arabic else f"{english} / {arabic}"


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


# --- the PDF --------------------------------------------------------------------------------------


def pdf_html(user, filters: Filters, *, progress=None) -> str:
    """The annual report's HTML, for WeasyPrint: the summary in each language, then the courses."""
    funnel = SeatFunnel(user, filters)
    figures = funnel.figures()
    goals = programmes.progress(user, filters)
    shows_reaction = policy.allows(user, "evaluation", "results")
    made = timezone.localtime()
    # WeasyPrint styles an SVG with the style sheets inside it: each chart carries the page's rules.
    chart_style = CHART_CSS.read_text(encoding="utf-8").replace(".chart ", "")
    parts = []
    for language in LANGUAGES:
        with translation.override(language):
            parts.append(
                render_to_string(
                    "reports/_annual_part.html",
                    {
                        "filters": filters,
                        "made": made,
                        "scope": scope_label(user, filters),
                        "figures": figures,
                        "runs": [(Iteration.Status(s).label, n) for s, n in figures["runs"].items()],
                        "stages": [(STAGE_LABELS[stage], figures["totals"][stage]) for stage in STAGES],
                        "pipeline": [(PIPELINE_LABELS[name], figures["pipeline"][name]) for name in PIPELINE_FIGURES],
                        "statuses": [(Status(s).label, n) for s, n in figures["pipeline"]["by_status"].items()],
                        "stage_labels": [STAGE_LABELS[stage] for stage in STAGES],
                        "programmes": goals,
                        "language": language,
                        "chart_style": chart_style,
                        **year_charts(figures, filters, rtl=translation.get_language_bidi(), prefix=f"{language}-"),
                    },
                )
            )
        if progress:
            progress()
    headings = [_both(label) for label in course_headings(shows_reaction)]
    return render_to_string(
        "reports/annual_pdf.html",
        {
            "parts": parts,
            "title": _both(ANNUAL_TITLE) + f" {filters.period}",
            "course_heading": _both(COURSES_HEADING if len(figures["by_course"]) <= PDF_COURSES else MOST_HEADING),
            "headings": headings,
            "by_course": _most_graduates(figures["by_course"]),
            "more": _both(MORE_COURSES) % {"more": len(figures["by_course"]) - PDF_COURSES}
            if len(figures["by_course"]) > PDF_COURSES
            else "",
            "shows_reaction": shows_reaction,
        },
    )


def pdf(user, filters: Filters, *, progress=None) -> bytes:
    """The annual report as PDF bytes; nothing is fetched while it is made (no address is allowed)."""
    from weasyprint import HTML  # loads Pango: only PDF work needs it
    from weasyprint.urls import URLFetcher

    html = pdf_html(user, filters, progress=progress)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


# --- the workbook ---------------------------------------------------------------------------------

ANNUAL_TITLE = translation.gettext_lazy("Annual activity report")
COURSES_HEADING = translation.gettext_lazy("Every course of the year")
MOST_HEADING = translation.gettext_lazy("The courses with the most graduates")
MORE_COURSES = translation.gettext_lazy("%(more)s more courses are listed in the XLSX workbook of this report.")
COURSE_HEADINGS = (
    translation.gettext_lazy("Course"),
    translation.gettext_lazy("Title (English)"),
    translation.gettext_lazy("Title (Arabic)"),
    translation.gettext_lazy("Runs"),
    *(STAGE_LABELS[stage] for stage in STAGES),
    translation.gettext_lazy("Fill rate (%)"),
    translation.gettext_lazy("Reaction, 1 to 5 (level 1)"),
    translation.gettext_lazy("Test gain in points (level 2)"),
)


def _most_graduates(by_course: list[dict]) -> list[dict]:
    """The courses the PDF lists: all of them, or the PDF_COURSES with the most graduates, in code order."""
    if len(by_course) <= PDF_COURSES:
        return by_course
    most = sorted(by_course, key=lambda row: (-row["graduated"], row["course"].code))[:PDF_COURSES]
    return sorted(most, key=lambda row: row["course"].code)


def course_headings(shows_reaction: bool) -> tuple:
    """The courses' headings; level 1 (the anonymous answers of every nation) for staff and HQ only."""
    return COURSE_HEADINGS if shows_reaction else (*COURSE_HEADINGS[:-2], COURSE_HEADINGS[-1])


def _course_row(row: dict, shows_reaction: bool) -> list:
    course = row["course"]
    values = [course.code, course.title_en, course.title_ar, row["runs"], *(row[stage] for stage in STAGES)]
    values.append(row["fill"])
    if shows_reaction:
        values.append(row["reaction"])
    return [*values, row["gain"]]


def _sheet(workbook, title: str, headings, rows) -> object:
    sheet = workbook.create_sheet(title)
    sheet.append([_both(heading) for heading in headings])
    for row in rows:
        sheet.append(safe_for_spreadsheets(row))
    sheet.freeze_panes = "A2"
    return sheet


def _bars(sheet, title: str, *, rows: int, value_column: int, anchor: str, stacked_columns: int = 0) -> None:
    """A native Excel bar chart of the sheet's first `rows` data rows (labels in column A)."""
    if not rows:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    last_column = value_column + max(stacked_columns - 1, 0)
    data = Reference(sheet, min_col=value_column, max_col=last_column, min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    if stacked_columns:
        chart.grouping, chart.overlap = "stacked", 100
    chart.height, chart.width = max(7.5, 0.6 * rows), 18
    sheet.add_chart(chart, anchor)


def xlsx(user, filters: Filters, path: Path, *, progress=None) -> None:
    """The annual report as an XLSX workbook written to `path`: the summary, by nation or organisation,
    by course, by year and by discipline, headings in both languages, native bar charts."""
    funnel = SeatFunnel(user, filters)
    figures = funnel.figures()
    shows_reaction = policy.allows(user, "evaluation", "results")
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = _sheet(
        workbook,
        "Summary",
        (translation.gettext_lazy("Figure"), translation.gettext_lazy("Number")),
        [
            [_both(ANNUAL_TITLE), filters.period],
            [_both(translation.gettext_lazy("Hijri years")), filters.hijri_years],
            [
                _both(translation.gettext_lazy("Whose figures")),
                " / ".join(_in(lang, _Scope(user, filters)) for lang in LANGUAGES),
            ],
            *([_both(STAGE_LABELS[stage]), figures["totals"][stage]] for stage in STAGES),
            [_both(translation.gettext_lazy("Fill rate (%)")), figures["totals"]["fill"]],
            *([_both(PIPELINE_LABELS[name]), figures["pipeline"][name]] for name in PIPELINE_FIGURES),
            [
                _both(translation.gettext_lazy("Completion rate on completed runs")),
                figures["pipeline"]["completion_rate"],
            ],
            *([_both(Iteration.Status(status).label), n] for status, n in figures["runs"].items()),
            *([_both(Status(status).label), n] for status, n in figures["pipeline"]["by_status"].items()),
        ],
    )
    summary.column_dimensions["A"].width = 60
    if progress:
        progress()
    by_party = _sheet(
        workbook,
        "Nations",
        (
            translation.gettext_lazy("Nation or organisation"),
            *STAGE_LABELS.values(),
            translation.gettext_lazy("Fill rate (%)"),
        ),
        ([row["party"], *(row[stage] for stage in STAGES), row["fill"]] for row in figures["by_party"]),
    )
    _bars(
        by_party,
        _both(translation.gettext_lazy("Graduates")),
        rows=len(figures["by_party"]),
        value_column=7,
        anchor="J2",
    )
    courses = _sheet(
        workbook,
        "Courses",
        course_headings(shows_reaction),
        (_course_row(row, shows_reaction) for row in figures["by_course"]),
    )
    courses.column_dimensions["B"].width = courses.column_dimensions["C"].width = 40
    if progress:
        progress()
    years, by_year = figures["trend"]
    trend = _sheet(
        workbook,
        "Years",
        (translation.gettext_lazy("Year"), *by_year),
        ([year, *(series[index] for series in by_year.values())] for index, year in enumerate(years)),
    )
    _bars(
        trend,
        _both(translation.gettext_lazy("Graduates by year")),
        rows=len(years),
        value_column=2,
        anchor="J2",
        stacked_columns=len(by_year),
    )
    parties, disciplines, values = figures["heat"]
    _sheet(
        workbook,
        "Disciplines",
        (translation.gettext_lazy("Nation or organisation"), *disciplines),
        ([party, *(values.get((party, code), 0) for code in disciplines)] for party in parties),
    )
    goals = programmes.progress(user, filters)
    _sheet(workbook, "Programmes", programmes.HEADINGS, (programmes.row(goal) for goal in goals))
    workbook.save(path)
    if progress:
        progress()


class _Scope:
    """scope_label, read in whichever language is active when it is turned into text."""

    def __init__(self, user, filters: Filters):
        self.user, self.filters = user, filters

    def __str__(self) -> str:
        return scope_label(self.user, self.filters)
