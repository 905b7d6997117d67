"""annotations.desk: ages and overdue marks as a queue shows them."""

from __future__ import annotations

import datetime

import pytest

from annotations import desk
from annotations.models import Claim

NOW = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "delta, text",
    [
        (datetime.timedelta(seconds=20), "under a minute"),
        (datetime.timedelta(minutes=12, seconds=30), "12 min"),
        (datetime.timedelta(hours=3, minutes=59), "3 h"),
        (datetime.timedelta(days=2, hours=5), "2 d"),
        (datetime.timedelta(seconds=-30), "under a minute"),
    ],
)
def test_age_says_how_long_in_few_words(delta, text):
    assert desk.age(NOW - delta, NOW) == text


def test_age_of_an_unknown_start_is_empty():
    assert desk.age(None, NOW) == ""


def test_only_open_claims_past_their_due_date_are_overdue():
    past = NOW - datetime.timedelta(minutes=1)
    assert desk.is_overdue(Claim(due=past, status=Claim.Status.DRAFT), NOW)
    assert desk.is_overdue(Claim(due=past, status=Claim.Status.IN_REVIEW), NOW)
    assert not desk.is_overdue(Claim(due=past, status=Claim.Status.PUBLISHED), NOW)
    assert not desk.is_overdue(Claim(due=NOW, status=Claim.Status.DRAFT), NOW)
    assert not desk.is_overdue(Claim(due=None, status=Claim.Status.DRAFT), NOW)


def test_the_history_shows_a_due_date_in_the_desks_time_zone_and_priority_by_label(settings):
    from annotations import workflow

    settings.TIME_ZONE = "Europe/Berlin"
    rows = workflow.describe_changes(
        {"due": [None, "2030-03-01T13:30:00+00:00"], "priority": ["normal", "urgent"]}
    )
    assert rows == [
        {"field": "Due", "before": "", "after": "2030-03-01 14:30 CET"},
        {"field": "Priority", "before": "Normal", "after": "Urgent"},
    ]
