"""Desk statistics (annotations.stats), the statistics page, its CSV and
GET /api/v1/stats/, checked against a history built with known timestamps."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations import stats
from annotations.models import Claim, ClaimEvent, Rating
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

Action = ClaimEvent.Action
UTC = datetime.UTC
HOUR = 3600

# Five weeks, Monday 1 September to Sunday 5 October 2025; the last is empty.
SINCE, UNTIL = datetime.date(2025, 9, 1), datetime.date(2025, 10, 5)
PERIOD = stats.Period(SINCE, UNTIL)
QUERY = {"since": "2025-09-01", "until": "2025-10-05"}
WEEKS = [datetime.date(2025, 9, 1) + datetime.timedelta(weeks=n) for n in range(5)]


def at(day: int, hour: float = 0, *, month: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, month, day, tzinfo=UTC) + datetime.timedelta(hours=hour)


def event(claim: Claim, action: str, when: datetime.datetime, by, *, source: str = "") -> None:
    """A history step at a chosen time. Events are append-only for
    instances; a queryset update sets the time the workflow would have."""
    created = ClaimEvent.objects.create(
        claim=claim, actor=by, action=action, from_status=source, version=1
    )
    ClaimEvent.objects.filter(pk=created.pk).update(created_at=when)


def claim_on(article, *, by, status=Claim.Status.DRAFT, **fields) -> Claim:
    return factories.ClaimFactory(article=article, created_by=by, status=status, **fields)


def published_after(article, *, editor, reviewer, marked, submit_after, publish_after, rating):
    """A claim marked at ``marked``, submitted and approved the given
    number of hours later."""
    claim = claim_on(
        article,
        by=editor,
        status=Claim.Status.PUBLISHED,
        rating=rating,
        published_at=marked + datetime.timedelta(hours=publish_after),
    )
    event(claim, Action.CREATED, marked, editor)
    event(claim, Action.SUBMITTED, marked + datetime.timedelta(hours=submit_after), editor)
    event(
        claim,
        Action.APPROVED,
        marked + datetime.timedelta(hours=publish_after),
        reviewer,
        source=Claim.Status.IN_REVIEW,
    )
    return claim


@pytest.fixture
def history(article, editor, other_editor, reviewer, other_reviewer):
    """Ten claims marked on Monday 1 September at 08:00, claim i submitted
    i half-hours and approved i hours later; a claim sent back after 6 h and
    dismissed in review after 2 h; a draft; a dismissed draft; a
    correction; a retraction."""
    ratings = list(Rating.objects.all())
    published = []
    for i in range(1, 11):
        rating = None if i == 10 else ratings[i % 3]
        published.append(
            published_after(
                article,
                editor=editor,
                reviewer=reviewer,
                marked=at(1, 8),
                submit_after=i / 2,
                publish_after=i,
                rating=rating,
            )
        )
    sent_back = claim_on(article, by=other_editor, status=Claim.Status.DISMISSED)
    event(sent_back, Action.CREATED, at(9, 9), other_editor)
    event(sent_back, Action.SUBMITTED, at(9, 10), other_editor)
    event(sent_back, Action.CHANGES_REQUESTED, at(9, 16), reviewer, source="in_review")
    event(sent_back, Action.SUBMITTED, at(16, 10), other_editor)
    event(sent_back, Action.DISMISSED, at(16, 12), other_reviewer, source="in_review")
    draft = claim_on(article, by=other_editor)
    event(draft, Action.CREATED, at(23, 9), other_editor)
    dropped = claim_on(article, by=other_editor, status=Claim.Status.DISMISSED)
    event(dropped, Action.CREATED, at(23, 10), other_editor)
    event(dropped, Action.DISMISSED, at(23, 11), other_editor, source="draft")
    # A correction of the first claim: its working copy has no mark, and its
    # submission and approval are the correction's, not new publications.
    copy = claim_on(article, by=editor, status=Claim.Status.SUPERSEDED, correction_of=published[0])
    event(published[0], Action.CORRECTION_STARTED, at(24, 9), editor)
    event(copy, Action.SUBMITTED, at(24, 10), editor)
    event(copy, Action.APPROVED, at(24, 11), other_reviewer, source="in_review")
    event(published[0], Action.CORRECTION_PUBLISHED, at(24, 11), other_reviewer)
    Claim.objects.filter(pk=published[1].pk).update(status=Claim.Status.RETRACTED)
    event(published[1], Action.RETRACTED, at(25, 9), reviewer, source="published")
    return published


# --- the statistics ------------------------------------------------------


def test_percentiles_interpolate_between_the_nearest_ranks_as_numpy_does():
    values = [HOUR * n for n in range(10, 0, -1)]
    assert stats.percentile(values, 0.5) == 5.5 * HOUR
    assert stats.percentile(values, 0.9) == pytest.approx(9.1 * HOUR)
    assert stats.percentile([7.0], 0.9) == 7.0
    assert stats.percentile([], 0.5) is None


def test_every_week_is_counted_including_empty_weeks(history):
    result = stats.desk_statistics(PERIOD)

    assert [week["week"] for week in result["weeks"]] == WEEKS
    rows = {week["week"]: week for week in result["weeks"]}
    assert rows[WEEKS[0]] == {
        "week": WEEKS[0],
        "marked": 10,
        "submitted": 10,
        "published": 10,
        "dismissed": 0,
        "corrected": 0,
        "retracted": 0,
    }
    assert rows[WEEKS[1]] | {"week": None} == {
        "week": None,
        "marked": 1,
        "submitted": 1,
        "published": 0,
        "dismissed": 0,
        "corrected": 0,
        "retracted": 0,
    }
    assert (rows[WEEKS[2]]["submitted"], rows[WEEKS[2]]["dismissed"]) == (1, 1)
    # The correction's copy adds no submission and no publication.
    assert rows[WEEKS[3]] | {"week": None} == {
        "week": None,
        "marked": 2,
        "submitted": 0,
        "published": 0,
        "dismissed": 1,
        "corrected": 1,
        "retracted": 1,
    }
    assert set(rows[WEEKS[4]].values()) == {WEEKS[4], 0}
    assert result["totals"] == {
        "marked": 13,
        "submitted": 12,
        "published": 10,
        "dismissed": 2,
        "corrected": 1,
        "retracted": 1,
    }
    assert result["period"] == {
        "since": SINCE,
        "until": UNTIL,
        "week_count": 5,
        "time_zone": "UTC",
    }


def test_mark_to_publish_has_the_known_median_and_90th_percentile(history):
    durations = stats.desk_statistics(PERIOD)["durations"]["mark_to_publish"]

    # 1 h to 10 h: the median halfway between 5 h and 6 h, the 90th
    # percentile a tenth of the way from 9 h to 10 h.
    assert durations == {
        "count": 10,
        "median_seconds": 19800,
        "median_hours": 5.5,
        "p90_seconds": 32760,
        "p90_hours": 9.1,
    }


def test_submit_to_review_pairs_each_submission_with_its_decision(history):
    durations = stats.desk_statistics(PERIOD)["durations"]["submit_to_review"]

    # 0.5 h to 5 h for the ten, 6 h (sent back) and 2 h (dismissed in review);
    # the correction's review is not among them.
    assert durations == {
        "count": 12,
        "median_seconds": 9900,
        "median_hours": 2.75,
        "p90_seconds": 17820,
        "p90_hours": 4.95,
    }


def test_per_person_counts_and_median_review_time(
    history, editor, other_editor, reviewer, other_reviewer
):
    people = {p["username"]: p for p in stats.desk_statistics(PERIOD)["people"]}

    assert people == {
        editor.username: {
            "username": editor.username,
            "marked": 10,
            "submitted": 10,
            "approved": 0,
            "reviewed": 0,
            "median_review_seconds": None,
            "median_review_hours": None,
        },
        other_editor.username: {
            "username": other_editor.username,
            "marked": 3,
            "submitted": 2,
            "approved": 0,
            "reviewed": 0,
            "median_review_seconds": None,
            "median_review_hours": None,
        },
        # Ten approvals (0.5 h to 5 h) and a request for changes (6 h).
        reviewer.username: {
            "username": reviewer.username,
            "marked": 0,
            "submitted": 0,
            "approved": 10,
            "reviewed": 11,
            "median_review_seconds": 3 * HOUR,
            "median_review_hours": 3.0,
        },
        other_reviewer.username: {
            "username": other_reviewer.username,
            "marked": 0,
            "submitted": 0,
            "approved": 0,
            "reviewed": 1,
            "median_review_seconds": 2 * HOUR,
            "median_review_hours": 2.0,
        },
    }


def test_verdicts_come_in_rating_order_with_no_verdict_last(history):
    verdicts = stats.desk_statistics(PERIOD)["verdicts"]

    ratings = list(Rating.objects.all())
    # Claims 1 to 9 have ratings[i % 3]; claim 10 none; claim 2 is retracted
    # and still counted (it was published in the period).
    expected = {ratings[0].slug: 3, ratings[1].slug: 3, ratings[2].slug: 3}
    assert [v["rating"] for v in verdicts] == [r.slug for r in ratings] + [None]
    assert [v["label"] for v in verdicts][-1] == "No verdict"
    assert {v["rating"]: v["count"] for v in verdicts} == {
        **{r.slug: expected.get(r.slug, 0) for r in ratings},
        None: 1,
    }


def test_a_claim_marked_before_the_period_counts_by_its_first_publication(
    article, editor, reviewer
):
    claim = published_after(
        article,
        editor=editor,
        reviewer=reviewer,
        marked=at(29, 12, month=8),
        submit_after=24,
        publish_after=4 * 24,
        rating=None,
    )
    # Withdrawn by a new revision of the article and approved again, with no
    # new submission: a second publication, but not a second first one.
    event(claim, Action.APPROVED, at(10, 12), reviewer, source="in_review")

    result = stats.desk_statistics(PERIOD)

    assert result["totals"]["marked"] == 0
    assert result["totals"]["published"] == 2
    assert result["durations"]["mark_to_publish"]["count"] == 1
    assert result["durations"]["mark_to_publish"]["median_hours"] == 96.0
    assert result["durations"]["submit_to_review"]["median_hours"] == 72.0
    assert result["durations"]["submit_to_review"]["count"] == 1


def test_weeks_are_iso_weeks_in_the_desks_time_zone(settings, article, editor):
    settings.TIME_ZONE = "America/New_York"
    claim = claim_on(article, by=editor)
    # Monday 02:00 UTC is still Sunday evening in New York.
    event(claim, Action.CREATED, at(8, 2), editor)

    result = stats.desk_statistics(stats.Period(SINCE, datetime.date(2025, 9, 14)))

    assert [(w["week"], w["marked"]) for w in result["weeks"]] == [
        (WEEKS[0], 1),
        (WEEKS[1], 0),
    ]
    assert result["period"]["time_zone"] == "America/New_York"


def test_the_workflow_history_feeds_the_statistics(published, editor, reviewer):
    result = stats.desk_statistics(stats.last_weeks())

    assert len(result["weeks"]) == 12
    assert result["totals"]["marked"] == 1
    assert result["totals"]["submitted"] == 1
    assert result["totals"]["published"] == 1
    assert result["durations"]["mark_to_publish"]["count"] == 1
    assert result["durations"]["submit_to_review"]["count"] == 1
    people = {p["username"]: p for p in result["people"]}
    assert (people[editor.username]["marked"], people[editor.username]["submitted"]) == (1, 1)
    assert (people[reviewer.username]["approved"], people[reviewer.username]["reviewed"]) == (1, 1)
    assert {v["rating"]: v["count"] for v in result["verdicts"]}["mostly-false"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "261"}, "weeks"),
        ({"weeks": "many"}, "weeks"),
        ({"since": "2025-13-01"}, "since"),
        ({"since": "2025-09-10", "until": "2025-09-01"}, "until"),
        ({"since": "2000-01-01", "until": "2025-09-01"}, "since"),
        ({"weeks": "4", "since": "2025-09-01"}, "non_field_errors"),
        ({"until": "0001-01-01"}, "until"),
    ],
)
def test_an_impossible_period_is_refused_with_a_reason(query, field):
    with pytest.raises(ValidationError) as refused:
        stats.period_from(query)

    assert field in refused.value.message_dict


def test_the_default_period_is_the_last_twelve_iso_weeks():
    period = stats.period_from({}, today=datetime.date(2025, 10, 1))

    assert period.since == datetime.date(2025, 7, 14)  # a Monday, 11 weeks before
    assert period.until == datetime.date(2025, 10, 1)
    assert len(period.weeks) == 12
    assert len(stats.period_from({"weeks": "2"}, today=datetime.date(2025, 10, 1)).weeks) == 2


# --- the page, the CSV and the API ---------------------------------------


def test_statistics_page_shows_tables_and_accessible_charts(client, history, editor):
    client.force_login(editor)

    response = client.get(reverse("annotations:stats"), QUERY)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 5  # four weekly charts and the verdicts
    for name, label in (("marked", "Marked"), ("dismissed", "Dismissed")):
        assert f'<title id="chart-{name}-title">{label} per week</title>' in html
    assert 'aria-label="Marked per week: 13 in all, at most 10 in a week"' in html
    assert 'data-week="2025-09-29" data-value="0"' in html  # the empty week has its bar
    assert "<table" in html and 'id="weeks-table"' in html
    assert "5 h 30 min" in html and "9 h 6 min" in html  # the median and p90 to publish
    assert (
        f'href="{reverse("annotations:stats_csv")}?since=2025-09-01&amp;until=2025-10-05"' in html
    )
    assert '<a href="/stats/">Statistics</a>' in html
    assert "<script>" not in html.split("</head>")[1]


def test_verdict_labels_are_escaped_in_the_charts_and_tables(client, article, editor, reviewer):
    rating = Rating.objects.create(label='<b onclick="x">Pants</b>', slug="pants", order=99)
    published_after(
        article,
        editor=editor,
        reviewer=reviewer,
        marked=at(2, 8),
        submit_after=1,
        publish_after=2,
        rating=rating,
    )
    client.force_login(editor)

    html = client.get(reverse("annotations:stats"), QUERY).content.decode()

    assert '<b onclick="x">' not in html
    assert html.count("&lt;b onclick=&quot;x&quot;&gt;Pants&lt;/b&gt;") >= 3


def test_csv_download_has_the_same_numbers_as_the_api(client, history, editor):
    client.force_login(editor)

    response = client.get(reverse("annotations:stats_csv"), QUERY)
    data = token_client(editor).get("/api/v1/stats/", QUERY).json()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="desk-statistics-2025-09-01-2025-10-05.csv"'
    )
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(response.content.decode())):
        if len(row) == 1:
            current = sections.setdefault(row[0], [])
        elif row and current is not None:
            current.append(row)
    weeks = [dict(zip(sections["Weeks"][0], row, strict=True)) for row in sections["Weeks"][1:]]
    assert weeks[-1]["week"] == "total"
    assert [
        {key: value if key == "week" else int(value) for key, value in row.items()}
        for row in weeks[:-1]
    ] == data["weeks"]
    durations = {row[0]: row[1:] for row in sections["Durations"][1:]}
    for measure, values in data["durations"].items():
        assert [float(v) for v in durations[measure]] == [values[c] for c in stats.DURATION_COLUMNS]
    assert [(row[0] or None, row[1], int(row[2])) for row in sections["Verdicts"][1:]] == [
        (v["rating"], v["label"], v["count"]) for v in data["verdicts"]
    ]
    people = [dict(zip(sections["People"][0], row, strict=True)) for row in sections["People"][1:]]
    assert [p["username"] for p in people] == [p["username"] for p in data["people"]]
    assert [int(p["reviewed"]) for p in people] == [p["reviewed"] for p in data["people"]]
    assert [p["median_review_seconds"] for p in people] == [
        "" if p["median_review_seconds"] is None else str(p["median_review_seconds"])
        for p in data["people"]
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(client, article, editor, reviewer):
    rating = Rating.objects.create(label="=HYPERLINK(1)", slug="formula", order=99)
    published_after(
        article,
        editor=editor,
        reviewer=reviewer,
        marked=at(2, 8),
        submit_after=1,
        publish_after=2,
        rating=rating,
    )
    client.force_login(editor)

    body = client.get(reverse("annotations:stats_csv"), QUERY).content.decode()

    assert "formula,'=HYPERLINK(1),1" in body


def test_api_returns_the_statistics_as_json(history, editor):
    response = token_client(editor).get("/api/v1/stats/", QUERY)

    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {
        "since": "2025-09-01",
        "until": "2025-10-05",
        "week_count": 5,
        "time_zone": "UTC",
    }
    assert [w["week"] for w in data["weeks"]] == [w.isoformat() for w in WEEKS]
    assert data["weeks"][0]["marked"] == 10
    assert data["durations"]["mark_to_publish"]["median_seconds"] == 19800
    assert data["durations"]["submit_to_review"]["p90_hours"] == 4.95
    assert data["verdicts"][-1] == {"rating": None, "label": "No verdict", "count": 1}
    assert {p["username"] for p in data["people"]} >= {editor.username}
    assert response["ETag"]


def test_api_refuses_a_bad_period_with_the_field_named(editor):
    response = token_client(editor).get(
        "/api/v1/stats/", {"since": "2025-09-10", "until": "2025-09-01"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "until": ["The end date is before the start date."]
    }


def test_page_refuses_a_bad_period_with_the_reason(client, editor):
    client.force_login(editor)

    response = client.get(reverse("annotations:stats"), {"weeks": "4", "since": "2025-09-01"})

    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert client.get(reverse("annotations:stats_csv"), {"weeks": "x"}).status_code == 400


def test_statistics_are_for_editors_only(client, outsider):
    assert client.get(reverse("annotations:stats")).status_code == 302
    assert client.get(reverse("annotations:stats_csv")).status_code == 302
    assert client.get("/api/v1/stats/").status_code == 401

    client.force_login(outsider)
    assert client.get(reverse("annotations:stats")).status_code == 403
    assert client.get(reverse("annotations:stats_csv")).status_code == 403
    assert token_client(outsider).get("/api/v1/stats/").status_code == 403


def _claims(count: int, article, editor, reviewer) -> None:
    rating = factories.rating()
    for i in range(count):
        published_after(
            article,
            editor=editor,
            reviewer=reviewer,
            marked=at(1 + i % 20, 8),
            submit_after=1,
            publish_after=2 + i % 7,
            rating=rating,
        )


@pytest.mark.parametrize("count", [5, 50])
def test_statistics_page_and_api_keep_their_query_budget(
    count, client, django_assert_max_num_queries, article, editor, reviewer
):
    _claims(count, article, editor, reviewer)
    for _ in range(count // 5):
        _claims(1, article, factories.EditorFactory(), factories.ReviewerFactory())
    client.force_login(editor)
    api = token_client(editor)

    # Session and user (or token), the editor's groups, then the six
    # statistics queries, whether there are 5 claims or 50; the page also
    # counts the header's unread notifications.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("annotations:stats"), QUERY)
    with django_assert_max_num_queries(9):
        csv_file = client.get(reverse("annotations:stats_csv"), QUERY)
    with django_assert_max_num_queries(9):
        response = api.get("/api/v1/stats/", QUERY)

    assert page.status_code == csv_file.status_code == response.status_code == 200
    assert response.json()["totals"]["published"] == count + count // 5
