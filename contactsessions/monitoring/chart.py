"""A server-rendered SVG bar chart of weekly compliance: no JavaScript, works everywhere.

The same figures are always shown as a table next to the chart; the SVG has a
``<title>`` and an ``aria-label`` summarising it for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from contactsessions.week_figures import WeekSummary

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 40


def compliance_svg(weeks: Sequence[WeekSummary], *, title: str) -> SafeString:
    """Bars of the share of wards meeting the Standard minimum, one per week."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(weeks), 1)
    bar_w = max(step * 0.7, 1)
    bars = []
    labels = []
    label_every = max(1, round(len(weeks) / 6))
    for i, week in enumerate(weeks):
        share = week.standard_share or 0
        height = plot_h * share
        x = LEFT + i * step + (step - bar_w) / 2
        bars.append(
            (
                f"{x:.1f}",
                f"{TOP + plot_h - height:.1f}",
                f"{bar_w:.1f}",
                f"{height:.1f}",
                f"Week of {week.week_start:%d %b %Y}: {week.standard_percent}",
            )
        )
        if i % label_every == 0:
            labels.append((f"{LEFT + i * step + step / 2:.1f}", HEIGHT - BOTTOM + 16, f"{week.week_start:%d %b}"))
    grid = [(TOP + plot_h * (1 - f), f"{round(f * 100)}%") for f in (0, 0.5, 1)]
    latest = weeks[-1].standard_percent if weeks else "n/a"
    summary = f"{title}. {len(weeks)} weeks; the latest week {latest}."
    return format_html(
        '<svg class="compliance-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        summary,
        summary,
        format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6c757d" stroke-width="1"/>'
            '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>',
            ((LEFT, WIDTH - RIGHT, y, y, LEFT - 4, y + 4, text) for y, text in grid),
        ),
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b3d91"><title>{}</title></rect>',
            bars,
        ),
        format_html_join(
            "", '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#212529">{}</text>', labels
        ),
    )
