"""Desk coordination in the workspace, through real HTTP requests: the
panel's assignment section and the submit form's reviewer, the dashboard's
"Assigned to me" and "Review requested from me" queues with ages, due and
urgent marks and sorting, and the bulk bar over the queues and the search
results."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(name: str, *args) -> str:
    return reverse(f"annotations:{name}", args=args)


def form_html(html: str, label: str) -> str:
    return re.search(rf'<form[^>]*aria-label="{label}".*?</form>', html, re.S).group(0)


def selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", select)
    return match.group(1) if match else ""


def queue_html(html: str, slug: str) -> str:
    return re.search(rf'<section class="queue queue-{slug}".*?</section>', html, re.S).group(0)


def mark(article, editor, quote: str) -> Claim:
    return workflow.mark(article, by=editor, quote=quote)


def picks(*claims: Claim) -> list[str]:
    return [f"{claim.pk}:{claim.version}" for claim in claims]


# --- the panel ---------------------------------------------------------------


def test_the_panel_offers_the_assignment_of_a_draft(client, editor, reviewer, outsider, draft):
    client.force_login(editor)
    page = client.get(draft.get_absolute_url(), headers=HTMX).text

    form = form_html(page, "Assignment")
    assert ">Save assignment</button>" in form
    for label in ("Assignee", "Reviewer", "Due", "Priority"):
        assert f">{label}</label>" in form
    assert selected(form, "assignee") == "Nobody"
    assert selected(form, "reviewer") == "Any reviewer"
    assignees = re.search(r'<select name="assignee".*?</select>', form, re.S).group(0)
    reviewers = re.search(r'<select name="reviewer".*?</select>', form, re.S).group(0)
    assert f">{editor.username}</option>" in assignees
    assert f">{reviewer.username}</option>" in assignees
    assert f">{outsider.username}</option>" not in assignees
    assert f">{reviewer.username}</option>" in reviewers
    assert f">{editor.username}</option>" not in reviewers
    assert 'type="datetime-local"' in form


def test_saving_the_assignment_records_it_and_shows_it_in_the_header_and_history(
    client, editor, reviewer, draft, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    client.force_login(editor)
    response = client.post(
        url("claim_assign", draft.pk),
        {
            "version": draft.version,
            "assignee": reviewer.pk,
            "reviewer": "",
            "due": "2030-03-01T14:30",
            "priority": "urgent",
        },
        headers=HTMX,
    )

    assert response.status_code == 200, response.text
    claim = Claim.objects.get(pk=draft.pk)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # Read in the server's time zone, stored as an instant.
    assert claim.due == datetime.datetime(2030, 3, 1, 14, 30, tzinfo=berlin)
    assert (claim.assignee, claim.priority) == (reviewer, "urgent")
    assert response.headers["HX-Trigger"].startswith('{"claimChanged"')
    page = response.text
    header = re.search(r'<p class="desk-marks">.*?</p>', page, re.S).group(0)
    assert f"assigned to {reviewer.username}" in header
    assert "1 Mar 2030 14:30" in header and "Urgent" in header and "Overdue" not in header
    assert "Assignment changed" in page
    form = form_html(page, "Assignment")
    assert 'value="2030-03-01T14:30"' in form  # shown back in local time
    assert selected(form, "assignee") == reviewer.username
    assert selected(form, "priority") == "Urgent"


def test_a_stale_assignment_is_refused_and_keeps_the_values(
    client, editor, other_editor, reviewer, draft
):
    seen = draft.version
    workflow.update(draft, by=other_editor, version=seen, summary="Theirs")
    client.force_login(editor)

    response = client.post(
        url("claim_assign", draft.pk),
        {"version": seen, "assignee": reviewer.pk, "priority": "urgent"},
        headers=HTMX,
    )

    assert response.status_code == 409
    assert Claim.objects.get(pk=draft.pk).assignee is None
    form = form_html(response.text, "Assignment")
    assert 'role="alert"' in form and other_editor.username in form
    assert selected(form, "assignee") == reviewer.username
    assert f'name="version" value="{seen + 1}"' in form  # saving again applies them


def test_assigning_the_submitter_as_reviewer_is_refused_in_the_form(
    client, editor, reviewer, in_review
):
    client.force_login(reviewer)
    response = client.post(
        url("claim_assign", in_review.pk),
        {"version": in_review.version, "reviewer": editor.pk, "priority": "normal"},
        headers=HTMX,
    )
    # The editor who submitted cannot be picked: not a reviewer.
    assert response.status_code == 422
    form = form_html(response.text, "Assignment")
    assert 'role="alert"' in form
    assert Claim.objects.get(pk=in_review.pk).reviewer is None


def test_a_plain_post_of_the_assignment_redirects_to_the_claim(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("claim_assign", draft.pk),
        {"version": draft.version, "assignee": editor.pk, "priority": "normal"},
    )
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert Claim.objects.get(pk=draft.pk).assignee == editor


def test_a_published_claim_has_no_assignment_form(client, editor, published):
    client.force_login(editor)
    page = client.get(published.get_absolute_url(), headers=HTMX).text
    assert "Save assignment" not in page


def test_submitting_with_a_picked_reviewer_asks_that_reviewer(client, editor, reviewer, draft):
    claim = ready_for_review(draft, by=editor)
    client.force_login(editor)
    page = client.get(claim.get_absolute_url(), headers=HTMX).text
    submit = form_html(page, "Submit for review")
    assert ">Reviewer</label>" in submit and selected(submit, "reviewer") == "Any reviewer"

    response = client.post(
        url("claim_transition", claim.pk, "submit"),
        {"version": claim.version, "reviewer": reviewer.pk},
        headers=HTMX,
    )

    assert response.status_code == 200, response.text
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW and claim.reviewer == reviewer
    assert f"review by {reviewer.username}" in response.text


def test_a_reviewer_submitting_is_not_offered_as_their_own_reviewer(
    client, reviewer, other_reviewer, draft
):
    claim = ready_for_review(draft, by=reviewer)
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url(), headers=HTMX).text
    submit = re.search(
        r'<select name="reviewer".*?</select>', form_html(page, "Submit for review"), re.S
    ).group(0)
    assert f">{other_reviewer.username}</option>" in submit
    assert f">{reviewer.username}</option>" not in submit


def test_the_submit_form_preselects_the_reviewer_picked_before(client, editor, reviewer, draft):
    claim = workflow.assign(draft, by=editor, version=draft.version, reviewer=reviewer)
    claim = ready_for_review(claim, by=editor)
    client.force_login(editor)
    page = client.get(claim.get_absolute_url(), headers=HTMX).text
    assert selected(form_html(page, "Submit for review"), "reviewer") == reviewer.username


def test_submitting_without_the_select_keeps_the_reviewer(client, editor, reviewer, draft):
    claim = workflow.assign(draft, by=editor, version=draft.version, reviewer=reviewer)
    claim = ready_for_review(claim, by=editor)
    client.force_login(editor)
    client.post(url("claim_transition", claim.pk, "submit"), {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW and claim.reviewer == reviewer


# --- the dashboard -------------------------------------------------------------


def test_assigned_to_me_lists_my_open_claims_with_their_age(client, editor, reviewer, article):
    mine = mark(article, editor, "the minister told")
    workflow.assign(mine, by=editor, version=mine.version, assignee=reviewer)
    other = mark(article, editor, "Critics said")
    workflow.assign(other, by=editor, version=other.version, assignee=editor)
    client.force_login(reviewer)

    page = client.get(url("dashboard")).text

    queue = queue_html(page, "assigned")
    assert '<h2 id="queue-assigned">Assigned to me' in queue
    assert str(mine) in queue and str(other) not in queue
    assert "waiting under a minute" in queue


def test_review_requested_from_me_lists_claims_in_review_asking_for_me(
    client, editor, reviewer, other_reviewer, article
):
    asked = ready_for_review(mark(article, editor, "the minister told"), by=editor)
    asked = workflow.submit(asked, by=editor, version=asked.version, reviewer=reviewer)
    anyone = ready_for_review(mark(article, editor, "Critics said"), by=editor)
    anyone = workflow.submit(anyone, by=editor, version=anyone.version)
    client.force_login(reviewer)

    queue = queue_html(client.get(url("dashboard")).text, "requested")

    assert "Review requested from me" in queue
    assert str(asked) in queue and str(anyone) not in queue
    assert f"by {editor.username}, waiting" in queue
    client.force_login(other_reviewer)
    assert str(asked) not in queue_html(client.get(url("dashboard")).text, "requested")


def test_overdue_and_urgent_claims_are_marked_in_words(client, editor, article):
    late = mark(article, editor, "the minister told")
    workflow.assign(
        late,
        by=editor,
        version=late.version,
        assignee=editor,
        due=timezone.now() - datetime.timedelta(hours=2),
        priority="urgent",
    )
    client.force_login(editor)

    queue = queue_html(client.get(url("dashboard")).text, "assigned")

    assert "Overdue" in queue and "Urgent" in queue
    assert 'class="overdue"' in queue


def test_the_waiting_time_of_a_claim_in_review_counts_from_its_submission(
    client, editor, reviewer, in_review, settings
):
    submitted = in_review.events.get(action=ClaimEvent.Action.SUBMITTED)
    ClaimEvent.objects.filter(pk=submitted.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=3, minutes=5)
    )
    # A later assignment changes the claim, not how long it has waited.
    workflow.assign(in_review, by=reviewer, version=in_review.version, reviewer=reviewer)
    client.force_login(reviewer)

    page = client.get(url("dashboard")).text

    assert "waiting 3 h" in queue_html(page, "requested")
    assert "waiting 3 h" in queue_html(page, "review")


@pytest.mark.parametrize(
    "sort, expected", [("due", ["soon", "late", "none"]), ("priority", ["late", "soon", "none"])]
)
def test_a_queue_sorts_by_due_date_or_priority(client, editor, article, sort, expected):
    now = timezone.now()
    settings_of = {
        "soon": {"due": now + datetime.timedelta(hours=1)},
        "late": {"due": now + datetime.timedelta(days=2), "priority": "urgent"},
        "none": {},
    }
    names = {}
    for quote, (name, fields) in zip(
        ("the minister told", "Critics said", "figures were incomplete"),
        settings_of.items(),
        strict=True,
    ):
        claim = mark(article, editor, quote)
        workflow.assign(claim, by=editor, version=claim.version, assignee=editor, **fields)
        names[name] = str(claim)
    client.force_login(editor)

    queue = queue_html(client.get(url("dashboard"), {"sort": sort}).text, "assigned")

    positions = [queue.index(names[name]) for name in expected]
    assert positions == sorted(positions)
    assert f'href="{url("dashboard")}?sort=age"' in queue


@pytest.mark.parametrize("claims", [3, 30])
def test_the_dashboard_costs_a_constant_number_of_queries(
    client, editor, reviewer, article, claims, django_assert_max_num_queries
):
    for _ in range(claims):
        claim = factories.ClaimFactory(article=article, created_by=editor)
        claim = workflow.assign(claim, by=editor, version=claim.version, assignee=reviewer)
    in_review = factories.ClaimFactory.create_batch(
        claims, article=article, created_by=editor, status=Claim.Status.IN_REVIEW
    )
    Claim.objects.filter(pk__in=[c.pk for c in in_review]).update(
        reviewer=reviewer, submitted_by=editor
    )
    client.force_login(reviewer)

    # The queues, the desk's people and the panel's context, plus the desk's
    # live version (two) and the header's unread count: the same for 3 or 30.
    with django_assert_max_num_queries(16):
        response = client.get(url("dashboard"), {"sort": "due"})

    assert response.status_code == 200
    counts = dict(re.findall(r'data-queue="(\w+)">(\d+)<', response.text))
    assert counts["assigned"] == str(claims) and counts["requested"] == str(claims)


# --- bulk actions ------------------------------------------------------------------


def test_bulk_submit_reports_which_succeeded_and_why_the_others_did_not(client, editor, article):
    ready = [
        ready_for_review(mark(article, editor, quote), by=editor)
        for quote in ("the minister told", "Critics said")
    ]
    bare = mark(article, editor, "figures were incomplete")
    bare = workflow.update(
        bare, by=editor, version=bare.version, rating=factories.rating(), summary="No."
    )
    client.force_login(editor)

    response = client.post(
        url("dashboard_bulk"),
        {"claim": picks(*ready, bare), "action": "submit"},
        headers=HTMX,
    )

    assert response.status_code == 200, response.text
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in ready] == [Claim.Status.IN_REVIEW] * 2
    assert statuses[bare.pk] == Claim.Status.DRAFT
    page = response.text
    done = re.search(r'<div role="status" class="bulk-done">.*?</div>', page, re.S).group(0)
    failed = re.search(r'<div role="alert" class="bulk-failed">.*?</div>', page, re.S).group(0)
    assert "Submit for review: done for 2 of 3 claims." in done
    assert str(bare) in failed
    assert "Before submitting, add at least one evidence source." in failed
    assert 'id="queues"' in page  # the list comes back with the summary


def test_bulk_assign_and_set_due_date_go_through_the_workflow(
    client, editor, reviewer, article, settings
):
    claims = [mark(article, editor, q) for q in ("the minister told", "Critics said")]
    client.force_login(editor)

    client.post(
        url("dashboard_bulk"),
        {"claim": picks(*claims), "action": "assign", "assignee": reviewer.pk},
        headers=HTMX,
    )
    claims = list(Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("pk"))
    assert {c.assignee for c in claims} == {reviewer}
    response = client.post(
        url("dashboard_bulk"),
        {"claim": picks(*claims), "action": "due", "due": "2030-05-06T07:08"},
        headers=HTMX,
    )

    assert response.status_code == 200
    due = datetime.datetime(2030, 5, 6, 7, 8, tzinfo=datetime.UTC)
    assert set(Claim.objects.values_list("due", flat=True)) == {due}
    assert ClaimEvent.objects.filter(action=ClaimEvent.Action.ASSIGNED).count() == 4


def test_bulk_dismiss_uses_one_note_for_every_claim(client, editor, article):
    claims = [mark(article, editor, q) for q in ("the minister told", "Critics said")]
    client.force_login(editor)

    client.post(
        url("dashboard_bulk"),
        {"claim": picks(*claims), "action": "dismiss", "note": "Opinion, not a fact."},
        headers=HTMX,
    )

    events = ClaimEvent.objects.filter(action=ClaimEvent.Action.DISMISSED)
    assert sorted(events.values_list("claim_id", flat=True)) == sorted(c.pk for c in claims)
    assert set(events.values_list("comment", flat=True)) == {"Opinion, not a fact."}


def test_bulk_dismiss_without_a_note_writes_nothing(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("dashboard_bulk"), {"claim": picks(draft), "action": "dismiss"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Dismissing needs a note saying why." in response.text
    assert Claim.objects.get(pk=draft.pk).status == Claim.Status.DRAFT


def test_bulk_with_nothing_selected_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(url("dashboard_bulk"), {"action": "submit"}, headers=HTMX)
    assert response.status_code == 422
    assert "Select at least one claim." in response.text


def test_bulk_uses_the_version_each_claim_was_seen_at(client, editor, other_editor, article):
    seen = mark(article, editor, "the minister told")
    fresh = mark(article, editor, "Critics said")
    stale_pick = picks(seen)
    workflow.update(seen, by=other_editor, version=seen.version, summary="Theirs")
    client.force_login(editor)

    response = client.post(
        url("dashboard_bulk"),
        {"claim": [*stale_pick, *picks(fresh)], "action": "assign", "assignee": editor.pk},
        headers=HTMX,
    )

    assigned = dict(Claim.objects.values_list("pk", "assignee"))
    assert assigned == {seen.pk: None, fresh.pk: editor.pk}
    assert f"changed by {other_editor.username}" in response.text


def test_a_plain_bulk_post_redirects_back_with_the_summary_in_messages(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        f"{url('dashboard_bulk')}?sort=due", {"claim": picks(draft), "action": "submit"}
    )
    assert response.status_code == 302 and response.url == f"{url('dashboard')}?sort=due"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Before submitting, add" in text for text in texts)


def test_bulk_needs_an_editor_and_csrf(client, outsider, draft):
    client.force_login(outsider)
    response = client.post(url("dashboard_bulk"), {"claim": picks(draft), "action": "submit"})
    assert response.status_code == 403
    assert Claim.objects.get(pk=draft.pk).status == Claim.Status.DRAFT


def test_bulk_needs_a_csrf_token(editor, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post(url("dashboard_bulk"), {"claim": picks(draft), "action": "submit"})
    assert response.status_code == 403


def test_search_results_carry_checkboxes_and_a_bulk_bar(client, editor, draft):
    client.force_login(editor)
    page = client.get(url("search"), {"q": "unemployment"}).text
    assert f'name="claim" value="{draft.pk}:{draft.version}"' in page
    for button in ("Assign", "Set due date", "Submit for review", "Dismiss"):
        assert f">{button}</button>" in page


def test_bulk_from_search_results_keeps_the_search(client, editor, reviewer, draft):
    client.force_login(editor)
    response = client.post(
        f"{url('search_bulk')}?q=unemployment",
        {"claim": picks(draft), "action": "assign", "assignee": reviewer.pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'id="search-results"' in response.text and 'data-query="q=unemployment"' in response.text
    assert "Assign: done for 1 of 1 claim." in response.text
    assert Claim.objects.get(pk=draft.pk).assignee == reviewer

    plain = client.post(
        f"{url('search_bulk')}?q=unemployment",
        {"claim": [f"{draft.pk}:{draft.version + 1}"], "action": "assign", "assignee": ""},
    )
    assert plain.status_code == 302 and plain.url == f"{url('search')}?q=unemployment"
    assert Claim.objects.get(pk=draft.pk).assignee is None
