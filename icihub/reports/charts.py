"""Charts drawn on the server as SVG, placed by this module and written by a template
(reports/_bar_chart.html): no JavaScript, nothing fetched, text as text (translated, readable by
screen readers and by search), mirrored for right-to-left pages.

Why not a charting library: pygal, the kept Python one that writes SVG, adds its own script and
style references, has no right-to-left layout and no way to tie a chart to a <title>/<desc> for
assistive technology; the charts here are bars, which take a few lines of arithmetic."""

import dataclasses

WIDTH = 640
LABEL_WIDTH = 150  # the labels' column (codes, not titles: the tables beside the charts hold the names)
VALUE_WIDTH = 60  # room after the longest bar for its number
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PADDING = 8


class _Mirrored:
    """A chart's text direction, for its SVG's `direction` attribute."""

    rtl: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None
    x: float
    y: float
    width: float
    label_x: float
    value_x: float
    text_y: float


@dataclasses.dataclass(frozen=True)
class BarChart(_Mirrored):
    id: str
    title: str
    description: str
    rtl: bool
    width: int
    height: int
    bars: list[Bar]
    value_heading: str


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    bars: list[tuple[str, int, str | None]],
    rtl: bool,
    value_heading: str,
) -> BarChart:
    """Horizontal bars, one per (label, value, link) in the order given, scaled to the largest value.
    Left to right, labels sit on the left and bars grow rightwards; right to left, the mirror image.
    Every text is anchored at its start, which SVG places on the right in a right-to-left chart."""
    most = max((value for _label, value, _href in bars), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    placed = []
    for index, (label, value, href) in enumerate(bars):
        length = span * value / most if most else 0.0
        top = PADDING + index * ROW_HEIGHT
        if rtl:
            x = WIDTH - PADDING - LABEL_WIDTH - length
            label_x, value_x = WIDTH - PADDING, x - 6
        else:
            x = PADDING + LABEL_WIDTH
            label_x, value_x = PADDING, x + length + 6
        placed.append(
            Bar(
                label=label,
                value=value,
                href=href,
                x=round(x, 1),
                y=top,
                width=round(length, 1),
                label_x=label_x,
                value_x=round(value_x, 1),
                text_y=top + BAR_HEIGHT - 5,
            )
        )
    height = 2 * PADDING + max(1, len(bars)) * ROW_HEIGHT
    return BarChart(
        id=id,
        title=title,
        description=description,
        rtl=rtl,
        width=WIDTH,
        height=height,
        bars=placed,
        value_heading=value_heading,
    )


@dataclasses.dataclass(frozen=True)
class Segment:
    series: str
    value: int
    x: float
    width: float
    tone: int  # which of the stylesheet's tones (series-0 ... series-7) fills it


@dataclasses.dataclass(frozen=True)
class StackedBar:
    label: str
    total: int
    y: float
    text_y: float
    label_x: float
    total_x: float
    segments: list[Segment]


@dataclasses.dataclass(frozen=True)
class StackedChart(_Mirrored):
    id: str
    title: str
    description: str
    rtl: bool
    width: int
    height: int
    bars: list[StackedBar]
    series: list[tuple[str, int]]  # (name, tone) in legend order
    rows: list[tuple[str, list[int], int]]  # the numbers table: label, value per series, total


TONES = 8


def stacked_bars(
    *, id: str, title: str, description: str, labels: list[str], series: dict[str, list[int]], rtl: bool
) -> StackedChart:
    """Horizontal bars, one per label, each split into one segment per series (in the order given),
    scaled to the largest total; mirrored right to left like bar_chart. Series beyond the stylesheet's
    tones reuse them: the table beside the chart holds every number."""
    names = list(series)
    totals = [sum(series[name][index] for name in names) for index in range(len(labels))]
    most = max(totals, default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    bars = []
    for index, label in enumerate(labels):
        top = PADDING + index * ROW_HEIGHT
        offset, segments = 0.0, []
        for number, name in enumerate(names):
            value = series[name][index]
            length = span * value / most if most else 0.0
            start = PADDING + LABEL_WIDTH + offset
            x = WIDTH - start - length if rtl else start
            if value:
                segments.append(
                    Segment(series=name, value=value, x=round(x, 1), width=round(length, 1), tone=number % TONES)
                )
            offset += length
        end = PADDING + LABEL_WIDTH + offset
        bars.append(
            StackedBar(
                label=label,
                total=totals[index],
                y=top,
                text_y=top + BAR_HEIGHT - 5,
                label_x=WIDTH - PADDING if rtl else PADDING,
                total_x=round(WIDTH - end - 6 if rtl else end + 6, 1),
                segments=segments,
            )
        )
    return StackedChart(
        id=id,
        title=title,
        description=description,
        rtl=rtl,
        width=WIDTH,
        height=2 * PADDING + max(1, len(labels)) * ROW_HEIGHT,
        bars=bars,
        series=[(name, number % TONES) for number, name in enumerate(names)],
        rows=[(label, [series[name][index] for name in names], totals[index]) for index, label in enumerate(labels)],
    )


CELL = 44


@dataclasses.dataclass(frozen=True)
class Cell:
    row: str
    column: str
    value: int
    x: float
    y: float
    level: int  # 0 (none) to 5 (the largest value), the stylesheet's heat-0 ... heat-5
    href: str | None


@dataclasses.dataclass(frozen=True)
class HeatMap(_Mirrored):
    id: str
    title: str
    description: str
    rtl: bool
    width: int
    height: int
    columns: list[tuple[str, float]]  # label and the x of its centre
    rows: list[tuple[str, float]]  # label and the y of its text
    cells: list[Cell]
    label_x: float
    values: dict[tuple[str, str], int]
    row_labels: list[str]
    column_labels: list[str]

    @property
    def table(self) -> list[tuple[str, list[int]]]:
        """The numbers, a row at a time, for the table beside the map."""
        return [(row, [self.values.get((row, column), 0) for column in self.column_labels]) for row in self.row_labels]


def heat_map(
    *,
    id: str,
    title: str,
    description: str,
    rows: list[str],
    columns: list[str],
    values: dict[tuple[str, str], int],
    rtl: bool,
    link=None,
) -> HeatMap:
    """A grid of rows x columns, each cell shaded by its value in six steps (0 is blank) and showing
    the number itself, so the shade is never the only way to read it; the first column sits next to
    the row labels, on the right in a right-to-left chart. `link(row, column)` gives a cell's link."""
    most = max(values.values(), default=0)
    width = 2 * PADDING + LABEL_WIDTH + max(1, len(columns)) * CELL
    top = PADDING + 22  # the column headings
    cells, placed_columns = [], []
    for index, column in enumerate(columns):
        start = PADDING + LABEL_WIDTH + index * CELL
        x = width - start - CELL if rtl else start
        placed_columns.append((column, x + CELL / 2))
        for number, row in enumerate(rows):
            value = values.get((row, column), 0)
            level = 0 if not value or not most else max(1, round(5 * value / most))
            cells.append(
                Cell(
                    row=row,
                    column=column,
                    value=value,
                    x=x,
                    y=top + number * ROW_HEIGHT,
                    level=level,
                    href=link(row, column) if link and value else None,
                )
            )
    return HeatMap(
        id=id,
        title=title,
        description=description,
        rtl=rtl,
        width=width,
        height=top + max(1, len(rows)) * ROW_HEIGHT + PADDING,
        columns=placed_columns,
        rows=[(row, top + number * ROW_HEIGHT + BAR_HEIGHT - 5) for number, row in enumerate(rows)],
        cells=cells,
        label_x=width - PADDING if rtl else PADDING,
        values=values,
        row_labels=rows,
        column_labels=columns,
    )
