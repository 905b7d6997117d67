"""The desk statistics page and its CSV download: what ``annotations.stats``
computes, as tables and as charts drawn on the server (inline SVG, built in
the template so that every label is escaped), for the period in the query
string."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from annotations import stats
from annotations.views.common import workspace_view

# Chart geometry, in SVG user units; the SVG scales to its box.
CHART_WIDTH = 320
CHART_HEIGHT = 140
CHART_TOP = 16
CHART_BOTTOM = 22
CHART_LEFT = 8
AXIS_LABELS = 6
BAR_HEIGHT = 22
LABEL_WIDTH = 150
VERDICT_WIDTH = 480


def _short(day: datetime.date) -> str:
    return f"{day.day} {day:%b}"


def _week_chart(name: str, label: str, weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars per week for one series, scaled to its own largest week."""
    count = len(weeks)
    top = max((week[name] for week in weeks), default=0)
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = (CHART_WIDTH - 2 * CHART_LEFT) / count
    every = math.ceil(count / AXIS_LABELS)
    bars = []
    for index, week in enumerate(weeks):
        value = week[name]
        height = plot * value / top if top else 0
        x = CHART_LEFT + index * step
        bars.append(
            {
                "x": round(x + step * 0.1, 2),
                "width": round(step * 0.8, 2),
                "y": round(CHART_TOP + plot - height, 2),
                "height": round(height, 2),
                "value": value,
                "week": week["week"],
                "label_x": round(x + step / 2, 2),
                "axis_label": _short(week["week"]) if index % every == 0 else "",
            }
        )
    return {
        "name": name,
        "label": label,
        "bars": bars,
        "top": top,
        "total": sum(week[name] for week in weeks),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_TOP + plot,
        "axis_y": CHART_HEIGHT - 6,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_LEFT,
    }


def _verdict_chart(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """One horizontal bar per verdict, scaled to the most given one."""
    top = max((v["count"] for v in verdicts), default=0)
    room = VERDICT_WIDTH - LABEL_WIDTH - 48
    rows = []
    for index, verdict in enumerate(verdicts):
        width = room * verdict["count"] / top if top else 0
        y = index * BAR_HEIGHT
        rows.append(
            {
                **verdict,
                "y": y + 3,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "width": round(width, 2),
                "count_x": round(LABEL_WIDTH + width + 6, 2),
            }
        )
    return {
        "rows": rows,
        "width": VERDICT_WIDTH,
        "height": max(len(rows), 1) * BAR_HEIGHT,
        "bar_x": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }


def duration_text(seconds: int | None) -> str:
    """A duration for a person to read: "2 d 3 h", "5 h 20 min", "40 min"."""
    if seconds is None:
        return "none"
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"


def _period(request: HttpRequest) -> tuple[stats.Period | None, dict[str, list[str]]]:
    try:
        return stats.period_from(request.GET), {}
    except ValidationError as error:
        return None, error.message_dict


@workspace_view("GET")
def stats_page(request: HttpRequest) -> HttpResponse:
    period, errors = _period(request)
    form = stats.PeriodForm(request.GET or None)
    if period is None:
        context = {"form": form, "errors": errors}
        return render(request, "annotations/stats.html", context, status=400)
    data = stats.desk_statistics(period)
    durations = {
        key: {
            **values,
            "median_text": duration_text(values["median_seconds"]),
            "p90_text": duration_text(values["p90_seconds"]),
        }
        for key, values in data["durations"].items()
    }
    query = urlencode({"since": period.since.isoformat(), "until": period.until.isoformat()})
    context = {
        "form": form,
        "stats": data,
        "series": [label for _, label in stats.SERIES.values()],
        "week_rows": [
            (week["week"], [week[name] for name in stats.SERIES]) for week in data["weeks"]
        ],
        "totals": [data["totals"][name] for name in stats.SERIES],
        "charts": [
            _week_chart(name, stats.SERIES[name][1], data["weeks"]) for name in stats.CHARTED
        ],
        "mark_to_publish": durations["mark_to_publish"],
        "submit_to_review": durations["submit_to_review"],
        "verdict_chart": _verdict_chart(data["verdicts"]),
        "people": [
            {**person, "median_text": duration_text(person["median_review_seconds"])}
            for person in data["people"]
        ],
        "csv_url": f"{reverse('annotations:stats_csv')}?{query}",
    }
    return render(request, "annotations/stats.html", context)


@workspace_view("GET")
def stats_csv(request: HttpRequest) -> HttpResponse:
    period, errors = _period(request)
    if period is None:
        message = " ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        stats.as_csv(stats.desk_statistics(period)), content_type="text/csv; charset=utf-8"
    )
    filename = f"desk-statistics-{period.since}-{period.until}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
