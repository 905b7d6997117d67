"""Desk statistics: what the desk marked, submitted, published and dismissed,
how long it took, which verdicts it gave and who did the work.

The one module that computes them, read from the claims' history
(``ClaimEvent``) for a ``Period``; the statistics page, its CSV download and
``GET /api/v1/stats/`` all show what ``desk_statistics`` returns. Every figure
comes from a fixed number of aggregate queries whatever the amount of history:
counts are grouped in the database, and the durations behind medians and
percentiles are fetched as one list of paired timestamps and summarised here,
the same way on PostgreSQL and SQLite.

Definitions (the README repeats them for the desk):

- An event counts in the period and the week in which it happened; weeks are
  ISO weeks (Monday to Sunday) in the desk's time zone (``TIME_ZONE``).
- marked: claims marked (``created`` events). submitted: submissions for
  review, a resubmission after requested changes counting again. published:
  approvals. dismissed: dismissals. corrected: corrections published.
  retracted: retractions.
- A correction's working copy counts only as a correction of the claim it
  corrects: its own submission, review and approval are left out of every
  other figure (it was never marked; its claim was already published).
- Mark to publish: from a claim's ``created`` event to its first approval,
  for claims first approved in the period.
- Submit to review: from each submission to the decision on it (approval,
  requested changes or dismissal of the claim in review), for decisions
  taken in the period; the reviewer is the person who decided.
- Percentiles interpolate linearly between the two nearest ranks (numpy's
  default, Hyndman and Fan's type 7); the median is the 50th percentile.
- Verdicts: the claims published in the period (by ``published_at``) that
  are public now, published or retracted, by their current verdict.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from annotations import csvsafe
from annotations.models import Claim, ClaimEvent, Rating

Action = ClaimEvent.Action

DEFAULT_WEEKS = 12
# About five years: the weekly table and charts stay readable and bounded.
MAX_WEEKS = 260

# The weekly series, in the order every table, chart and file shows them.
SERIES: dict[str, tuple[str, str]] = {
    "marked": (Action.CREATED, "Marked"),
    "submitted": (Action.SUBMITTED, "Submitted"),
    "published": (Action.APPROVED, "Published"),
    "dismissed": (Action.DISMISSED, "Dismissed"),
    "corrected": (Action.CORRECTION_PUBLISHED, "Corrected"),
    "retracted": (Action.RETRACTED, "Retracted"),
}
# The four the issue charts; corrections and retractions are in the tables.
CHARTED = ("marked", "submitted", "published", "dismissed")

DECISIONS = (Action.APPROVED, Action.CHANGES_REQUESTED, Action.DISMISSED)
NO_VERDICT = "No verdict"


# --- the period ----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days the statistics cover, ``since`` to ``until`` inclusive, in
    the desk's time zone; ``start`` and ``end`` are the instants that bound
    them (``end`` excluded)."""

    since: datetime.date
    until: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.since)

    @property
    def end(self) -> datetime.datetime:
        return _midnight(self.until + datetime.timedelta(days=1))

    @property
    def weeks(self) -> list[datetime.date]:
        """The Mondays of the ISO weeks the period touches, in order."""
        monday = _monday(self.since)
        last = _monday(self.until)
        return [monday + datetime.timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def last_weeks(weeks: int = DEFAULT_WEEKS, *, today: datetime.date | None = None) -> Period:
    """The current ISO week and the ``weeks - 1`` before it, up to today."""
    today = today or timezone.localdate()
    return Period(_monday(today) - datetime.timedelta(weeks=weeks - 1), today)


class PeriodForm(forms.Form):
    """``?weeks=N`` or ``?since=YYYY-MM-DD&until=YYYY-MM-DD`` (either may be
    left out); nothing means the last 12 weeks."""

    weeks = forms.IntegerField(required=False, min_value=1, max_value=MAX_WEEKS)
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    until = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    # Far enough from the calendar's ends that a period and its weeks can
    # always be computed.
    EARLIEST = datetime.date(1970, 1, 1)
    LATEST = datetime.date(9000, 12, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weeks, since, until = data.get("weeks"), data.get("since"), data.get("until")
        if weeks is not None and (since or until):
            raise ValidationError(
                "Give a number of weeks, or since and until dates, not both.", code="both"
            )
        for field in ("since", "until"):
            day = data.get(field)
            if day and not self.EARLIEST <= day <= self.LATEST:
                self.add_error(field, f"Enter a date from {self.EARLIEST} to {self.LATEST}.")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def period(self, *, today: datetime.date | None = None) -> Period:
        """The period asked for (call after ``is_valid``)."""
        data = self.cleaned_data
        if data.get("since") or data.get("until"):
            until = data.get("until") or today or timezone.localdate()
            since = data.get("since") or last_weeks(DEFAULT_WEEKS, today=until).since
            if since > until:
                raise ValidationError({"since": ["The start date is after today."]})
            if len(Period(since, until).weeks) > MAX_WEEKS:
                raise ValidationError(
                    {"since": [f"The period spans more than {MAX_WEEKS} weeks; shorten it."]}
                )
            return Period(since, until)
        return last_weeks(data.get("weeks") or DEFAULT_WEEKS, today=today)


def period_from(query: Any, *, today: datetime.date | None = None) -> Period:
    """The period a request's query string asks for; a ``ValidationError``
    with a message per field when it asks for something impossible."""
    form = PeriodForm(query)
    if not form.is_valid():
        # A message for the whole query (weeks and dates given together)
        # is keyed as DRF keys its own.
        raise ValidationError(
            {
                "non_field_errors" if field == NON_FIELD_ERRORS else field: messages
                for field, messages in form.errors.items()
            }
        )
    return form.period(today=today)


# --- summaries -----------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0 to 1) percentile of ``values``, interpolated
    linearly between the nearest ranks as numpy's default does: with the
    values sorted, the rank is ``(n - 1) * fraction`` and a fractional rank
    takes the matching share of the step to the next value. None when
    there are no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value / 3600, 2)


def summary(durations: Sequence[float]) -> dict[str, Any]:
    """Count, median and 90th percentile of ``durations`` (seconds), in
    whole seconds and in hours to two decimals."""
    median, p90 = percentile(durations, 0.5), percentile(durations, 0.9)
    return {
        "count": len(durations),
        "median_seconds": _seconds(median),
        "median_hours": _hours(median),
        "p90_seconds": _seconds(p90),
        "p90_hours": _hours(p90),
    }


# --- the queries ---------------------------------------------------------


def _events(period: Period):
    # A working copy's events are the correction's business: see the
    # module's definitions.
    return ClaimEvent.objects.filter(
        created_at__gte=period.start,
        created_at__lt=period.end,
        claim__correction_of__isnull=True,
    )


def _series_counts() -> dict[str, Count]:
    return {name: Count("id", filter=Q(action=action)) for name, (action, _) in SERIES.items()}


def _weekly(period: Period) -> list[dict[str, Any]]:
    rows = (
        _events(period)
        .filter(action__in=[action for action, _ in SERIES.values()])
        .annotate(week=TruncWeek("created_at", tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(**_series_counts())
        .order_by("week")
    )
    by_week = {timezone.localtime(row.pop("week")).date(): row for row in rows}
    return [
        {"week": week, **{name: by_week.get(week, {}).get(name, 0) for name in SERIES}}
        for week in period.weeks
    ]


def _before() -> Q:
    """Events of the outer event's claim that came before it."""
    return Q(claim=OuterRef("claim")) & (
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id"))
    )


def _mark_to_publish(period: Period) -> list[float]:
    """Seconds from mark to first approval, per claim first approved in the period."""
    marked_at = ClaimEvent.objects.filter(claim=OuterRef("claim"), action=Action.CREATED)
    rows = (
        _events(period)
        .filter(action=Action.APPROVED)
        .exclude(Exists(ClaimEvent.objects.filter(_before(), action=Action.APPROVED)))
        .annotate(
            marked_at=Subquery(marked_at.order_by("created_at", "id").values("created_at")[:1])
        )
        .exclude(marked_at=None)
        .values_list("marked_at", "created_at")
    )
    return [(published - marked).total_seconds() for marked, published in rows]


def _reviews(period: Period) -> list[tuple[int | None, float]]:
    """(reviewer id, seconds from submission to decision) per decision taken
    in the period on a claim in review."""
    # The step before a decision, among submissions and decisions: a review
    # answers the submission right before it.
    previous = ClaimEvent.objects.filter(_before()).filter(
        Q(action=Action.SUBMITTED) | Q(action__in=DECISIONS, from_status=Claim.Status.IN_REVIEW)
    )
    previous = previous.order_by("-created_at", "-id")
    rows = (
        _events(period)
        .filter(action__in=DECISIONS, from_status=Claim.Status.IN_REVIEW)
        .annotate(
            previous_action=Subquery(previous.values("action")[:1]),
            submitted_at=Subquery(previous.values("created_at")[:1]),
        )
        .filter(previous_action=Action.SUBMITTED)
        .values_list("actor_id", "submitted_at", "created_at")
    )
    return [(actor, (decided - submitted).total_seconds()) for actor, submitted, decided in rows]


def _people(period: Period, reviews: Iterable[tuple[int | None, float]]) -> list[dict[str, Any]]:
    counted = {
        "marked": Count("id", filter=Q(action=Action.CREATED)),
        "submitted": Count("id", filter=Q(action=Action.SUBMITTED)),
        "approved": Count("id", filter=Q(action=Action.APPROVED)),
    }
    rows = (
        _events(period)
        .filter(action__in=[Action.CREATED, Action.SUBMITTED, *DECISIONS])
        .values("actor_id", "actor__username")
        .annotate(**counted)
    )
    review_times: dict[int | None, list[float]] = defaultdict(list)
    for actor, seconds in reviews:
        review_times[actor].append(seconds)
    people = []
    for row in rows:
        times = review_times.get(row["actor_id"], [])
        median = percentile(times, 0.5)
        if not (row["marked"] or row["submitted"] or row["approved"] or times):
            continue  # only dismissed drafts or sent back claims outside review
        people.append(
            {
                "username": row["actor__username"],
                "marked": row["marked"],
                "submitted": row["submitted"],
                "approved": row["approved"],
                "reviewed": len(times),
                "median_review_seconds": _seconds(median),
                "median_review_hours": _hours(median),
            }
        )
    # A removed account (no username) goes last.
    people.sort(key=lambda p: (p["username"] is None, (p["username"] or "").casefold()))
    return people


def _verdicts(period: Period) -> list[dict[str, Any]]:
    counts = dict(
        Claim.objects.public()
        .filter(
            correction_of__isnull=True,
            published_at__gte=period.start,
            published_at__lt=period.end,
        )
        .values("rating_id")
        .annotate(count=Count("id"))
        .values_list("rating_id", "count")
    )
    verdicts = [
        {"rating": rating.slug, "label": rating.label, "count": counts.get(rating.pk, 0)}
        for rating in Rating.objects.only("slug", "label", "order")
    ]
    verdicts.append({"rating": None, "label": NO_VERDICT, "count": counts.get(None, 0)})
    return verdicts


def desk_statistics(period: Period) -> dict[str, Any]:
    """Every desk statistic for ``period``, in the shape the API returns:
    ``period``, ``weeks`` (a row per ISO week, empty weeks included),
    ``totals``, ``durations`` (``mark_to_publish`` and ``submit_to_review``
    summaries), ``verdicts`` (in rating order, then no verdict) and
    ``people`` (by username). Six queries, whatever the history holds."""
    weeks = _weekly(period)
    reviews = _reviews(period)
    return {
        "period": {
            "since": period.since,
            "until": period.until,
            "week_count": len(weeks),
            "time_zone": settings.TIME_ZONE,
        },
        "weeks": weeks,
        "totals": {name: sum(week[name] for week in weeks) for name in SERIES},
        "durations": {
            "mark_to_publish": summary(_mark_to_publish(period)),
            "submit_to_review": summary([seconds for _, seconds in reviews]),
        },
        "verdicts": _verdicts(period),
        "people": _people(period, reviews),
    }


# --- CSV -----------------------------------------------------------------

PEOPLE_COLUMNS = (
    "username",
    "marked",
    "submitted",
    "approved",
    "reviewed",
    "median_review_seconds",
    "median_review_hours",
)
DURATION_COLUMNS = ("count", "median_seconds", "median_hours", "p90_seconds", "p90_hours")


def as_csv(stats: dict[str, Any]) -> str:
    """The statistics as one CSV file of sections (weeks, durations,
    verdicts, people), each a title row, a header row and its rows, with a
    blank row between sections; the same numbers as the JSON."""
    out = io.StringIO()
    writer = csv.writer(out)
    period = stats["period"]
    writer.writerow(["Desk statistics", period["since"], period["until"], period["time_zone"]])
    writer.writerow([])
    writer.writerow(["Weeks"])
    writer.writerow(["week", *SERIES])
    for week in stats["weeks"]:
        writer.writerow([week["week"], *(week[name] for name in SERIES)])
    writer.writerow(["total", *(stats["totals"][name] for name in SERIES)])
    writer.writerow([])
    writer.writerow(["Durations"])
    writer.writerow(["measure", *DURATION_COLUMNS])
    for measure, values in stats["durations"].items():
        writer.writerow([measure, *(csvsafe.cell(values[c]) for c in DURATION_COLUMNS)])
    writer.writerow([])
    writer.writerow(["Verdicts"])
    writer.writerow(["rating", "label", "count"])
    for verdict in stats["verdicts"]:
        writer.writerow(
            [csvsafe.cell(verdict["rating"]), csvsafe.cell(verdict["label"]), verdict["count"]]
        )
    writer.writerow([])
    writer.writerow(["People"])
    writer.writerow(PEOPLE_COLUMNS)
    for person in stats["people"]:
        writer.writerow([csvsafe.cell(person[c]) for c in PEOPLE_COLUMNS])
    return out.getvalue()
