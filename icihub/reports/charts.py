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
class BarChart:
    id: str
    title: str
    description: str
    rtl: bool
    width: int
    height: int
    bars: list[Bar]
    value_heading: str

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


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
