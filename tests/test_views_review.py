"""The review views: verdict, evidence, transitions, comments, history and
the dashboard, through real HTTP requests (htmx and plain)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import workflow
from annotations.models import Claim, ClaimEvent, Evidence, Rating
from tests import factories
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(name: str, *args) -> str:
    return reverse(f"annotations:{name}", args=args)


def hidden_version(html: str, form_label: str) -> int:
    form = re.search(rf'<form[^>]*aria-label="{form_label}".*?</form>', html, re.S).group(0)
    return int(re.search(r'name="version" value="(\d+)"', form).group(1))


def writes() -> tuple[int, int, list]:
    return (
        ClaimEvent.objects.count(),
        Evidence.objects.count(),
        list(Claim.objects.order_by("pk").values_list("pk", "status", "version")),
    )


# --- the panel -----------------------------------------------------------------------


def test_panel_shows_verdict_evidence_actions_and_history(client, editor, draft):
    client.force_login(editor)
    page = client.get(draft.get_absolute_url(), headers=HTMX).text
    assert '<label for="id_verdict_rating">Verdict</label>' in page
    for label in ("Summary", "Rationale", "Source URL", "Source title", "Publisher", "Excerpt"):
        assert f">{label}</label>" in page
    assert ">Submit for review</button>" in page
    assert ">Dismiss</button>" in page
    assert "Approve and publish" not in page  # does not apply to a draft
    assert "Marked" in page and editor.username in page  # the timeline
    assert hidden_version(page, "Verdict") == draft.version


def test_the_panel_costs_the_same_number_of_queries_however_long_the_history(
    client, editor, reviewer, other_reviewer, django_assert_max_num_queries
):
    def published_with(sources: int, comments: int, corrections: int) -> Claim:
        claim = published_claim(
            factories.ClaimFactory(created_by=editor), editor=editor, reviewer=reviewer
        )
        for n in range(corrections):
            copy = workflow.start_correction(
                claim, by=editor, version=claim.version, comment=f"Fix {n}"
            )
            copy = workflow.update(copy, by=editor, version=copy.version, summary=f"Fixed {n}")
            for i in range(sources):
                workflow.add_evidence(
                    copy, by=editor, version=copy.version, url=f"https://e.example.org/{n}/{i}"
                )
                copy.refresh_from_db()
            copy = workflow.submit(copy, by=editor, version=copy.version)
            claim = workflow.approve(copy, by=other_reviewer, version=copy.version)
        for i in range(comments):
            workflow.comment(claim, by=reviewer, text=f"Note {i}")
        return claim

    small, big = published_with(0, 0, 0), published_with(4, 8, 2)
    assert big.evidence.count() > 4 and workflow.history(big).count() > 20
    client.force_login(reviewer)
    counts = []
    for claim in (small, big):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(claim.get_absolute_url(), headers=HTMX)
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(16):
        client.get(big.get_absolute_url(), headers=HTMX)


# --- verdict -----------------------------------------------------------------------


def test_saving_a_verdict_updates_the_claim_and_signals_the_change(client, editor, draft):
    client.force_login(editor)
    rating = Rating.objects.get(slug="false")
    response = client.post(
        url("claim_verdict", draft.pk),
        {"version": draft.version, "rating": rating.pk, "summary": "No.", "rationale": "Because."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == f'{{"claimChanged": {{"id": {draft.pk}}}}}'
    claim = Claim.objects.get(pk=draft.pk)
    assert (claim.rating, claim.summary, claim.rationale) == (rating, "No.", "Because.")
    assert claim.verdict_changed_by == editor
    assert 'id="claim-panel"' in response.text
    assert hidden_version(response.text, "Verdict") == claim.version


def test_plain_post_redirects_to_the_claim(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("claim_verdict", draft.pk), {"version": draft.version, "summary": "No."}
    )
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()


def test_invalid_verdict_answers_422_and_writes_nothing(client, editor, draft):
    client.force_login(editor)
    before = writes()
    response = client.post(
        url("claim_verdict", draft.pk),
        {"version": draft.version, "rating": "999", "summary": "x" * 301},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert "Ensure this value has at most 300 characters" in response.text
    assert writes() == before


def test_stale_verdict_is_refused_with_what_changed_and_can_be_reapplied(
    client, editor, other_editor, draft
):
    seen = draft.version
    workflow.update(draft, by=other_editor, version=seen, summary="Their summary")
    client.force_login(editor)
    before = writes()
    response = client.post(
        url("claim_verdict", draft.pk),
        {"version": seen, "summary": "My summary", "rationale": "My reasons"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert writes() == before
    html = response.text
    assert html.count('class="conflict" role="alert"') == 1
    assert other_editor.username in html and "Their summary" in html
    assert 'value="My summary"' in html and "My reasons</textarea>" in html
    current = Claim.objects.get(pk=draft.pk).version
    assert hidden_version(html, "Verdict") == current == seen + 1

    again = client.post(
        url("claim_verdict", draft.pk),
        {"version": current, "summary": "My summary", "rationale": "My reasons"},
        headers=HTMX,
    )
    assert again.status_code == 200
    assert Claim.objects.get(pk=draft.pk).summary == "My summary"


def test_rationale_is_shown_as_escaped_text(client, editor, reviewer, draft):
    claim = workflow.update(
        draft, by=editor, version=draft.version, rationale="<script>alert(1)</script>"
    )
    claim = ready_for_review(claim, by=editor)
    workflow.submit(claim, by=editor, version=claim.version)
    client.force_login(reviewer)
    page = client.get(draft.get_absolute_url(), headers=HTMX).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- evidence --------------------------------------------------------------------------


def test_evidence_is_added_changed_and_removed_inline(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("evidence_create", draft.pk),
        {
            "version": draft.version,
            "url": "https://stats.example.org/q4",
            "title": "Q4 release",
            "publisher": "Statistics Office",
            "excerpt": "Unemployment fell by 2.1%.",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "claimChanged" in response.headers["HX-Trigger"]
    source = Evidence.objects.get(claim=draft)
    assert (source.title, source.publisher, source.added_by) == (
        "Q4 release",
        "Statistics Office",
        editor,
    )
    version = Claim.objects.get(pk=draft.pk).version
    response = client.post(
        url("evidence_update", draft.pk, source.pk),
        {"version": version, "url": source.url, "title": "Q4 2025 release"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Evidence.objects.get(pk=source.pk).title == "Q4 2025 release"
    response = client.post(
        url("evidence_delete", draft.pk, source.pk), {"version": version + 1}, headers=HTMX
    )
    assert response.status_code == 200
    assert not Evidence.objects.filter(pk=source.pk).exists()
    actions = list(draft.events.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["evidence_added", "evidence_changed", "evidence_removed"]


@pytest.mark.parametrize(
    "bad", ["ftp://files.example.org/x", "javascript:alert(1)", "data:text/html,hi", "not a url"]
)
def test_evidence_urls_must_be_http_or_https(client, editor, draft, bad):
    client.force_login(editor)
    before = writes()
    response = client.post(
        url("evidence_create", draft.pk), {"version": draft.version, "url": bad}, headers=HTMX
    )
    assert response.status_code == 422
    assert "http:// or https://" in response.text or "Enter a valid URL" in response.text
    assert writes() == before


def test_stale_evidence_edit_is_refused_and_keeps_the_editors_values(
    client, editor, other_editor, draft
):
    claim = ready_for_review(draft, by=editor)
    source = claim.evidence.get()
    seen = claim.version
    workflow.change_evidence(source, by=other_editor, version=seen, title="Their title")
    client.force_login(editor)
    before = writes()
    response = client.post(
        url("evidence_update", claim.pk, source.pk),
        {"version": seen, "url": source.url, "title": "My title"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert writes() == before
    assert "Their title" in response.text and 'value="My title"' in response.text
    assert hidden_version(response.text, "Edit evidence 1") == seen + 1
    assert response.text.count('class="conflict"') == 1

    response = client.post(
        url("evidence_delete", claim.pk, source.pk), {"version": seen}, headers=HTMX
    )
    assert response.status_code == 409
    assert response.text.count('class="conflict"') == 1 and "Their title" in response.text
    assert writes() == before


# --- transitions -------------------------------------------------------------------------


def test_submitting_then_approving_by_two_people(client, editor, reviewer, draft):
    claim = ready_for_review(draft, by=editor)
    client.force_login(editor)
    response = client.post(
        url("claim_transition", claim.pk, "submit"), {"version": claim.version}, headers=HTMX
    )
    assert response.status_code == 200
    assert "claimChanged" in response.headers["HX-Trigger"]
    claim.refresh_from_db()
    assert claim.status == "in_review"

    client.force_login(reviewer)
    response = client.post(
        url("claim_transition", claim.pk, "approve"), {"version": claim.version}, headers=HTMX
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "published" and claim.reviewed_by == reviewer


def test_an_editor_sees_approve_disabled_with_the_reason(client, editor, in_review):
    client.force_login(editor)
    page = client.get(in_review.get_absolute_url(), headers=HTMX).text
    button = re.search(r"<button[^>]*>Approve and publish</button>", page).group(0)
    assert "disabled" in button
    assert "Only a reviewer can approve and publish." in page


def test_the_submitter_is_refused_approval_and_nothing_is_written(
    client, reviewer, other_reviewer, draft
):
    claim = ready_for_review(draft, by=reviewer)
    claim = workflow.submit(claim, by=reviewer, version=claim.version)
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url(), headers=HTMX).text
    assert "You submitted this claim: a second person must approve it." in page
    before = writes()
    response = client.post(
        url("claim_transition", claim.pk, "approve"), {"version": claim.version}, headers=HTMX
    )
    assert response.status_code == 403
    assert "You submitted this claim" in response.text
    assert writes() == before


def test_request_changes_needs_a_comment(client, reviewer, in_review):
    client.force_login(reviewer)
    before = writes()
    response = client.post(
        url("claim_transition", in_review.pk, "request_changes"),
        {"version": in_review.version, "comment": "  "},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert writes() == before
    response = client.post(
        url("claim_transition", in_review.pk, "request_changes"),
        {"version": in_review.version, "comment": "Add the Q4 figure."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Claim.objects.get(pk=in_review.pk).status == "draft"
    assert "Add the Q4 figure." in response.text  # in the timeline


def test_a_step_that_does_not_apply_answers_409(client, reviewer, draft):
    client.force_login(reviewer)
    before = writes()
    response = client.post(
        url("claim_transition", draft.pk, "retract"),
        {"version": draft.version, "comment": "x"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert "does not apply" in response.text
    assert writes() == before


def test_two_reviewers_approving_the_same_version_one_gets_a_clear_message(
    client, reviewer, other_reviewer, in_review
):
    seen = in_review.version
    client.force_login(reviewer)
    first = client.post(
        url("claim_transition", in_review.pk, "approve"), {"version": seen}, headers=HTMX
    )
    client.force_login(other_reviewer)
    second = client.post(
        url("claim_transition", in_review.pk, "approve"), {"version": seen}, headers=HTMX
    )
    assert first.status_code == 200 and second.status_code == 409
    assert reviewer.username in second.text and "Nothing was saved" in second.text
    assert Claim.objects.get(pk=in_review.pk).reviewed_by == reviewer


def test_retracted_claim_shows_its_note(client, editor, reviewer, published):
    client.force_login(reviewer)
    response = client.post(
        url("claim_transition", published.pk, "retract"),
        {"version": published.version, "comment": "The source was withdrawn."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Retracted" in response.text and "The source was withdrawn." in response.text


def test_starting_a_correction_opens_the_working_copy(client, editor, published):
    client.force_login(editor)
    response = client.post(
        url("claim_transition", published.pk, "start_correction"),
        {"version": published.version, "comment": "Wrong figure."},
        headers=HTMX,
    )
    copy = Claim.objects.get(correction_of=published)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == copy.get_absolute_url()
    page = client.get(copy.get_absolute_url(), headers=HTMX).text
    assert "Working copy correcting" in page and "Wrong figure." in page
    page = client.get(published.get_absolute_url(), headers=HTMX).text
    assert "A correction is under way" in page
    assert ">Start correction</button>" not in page


def test_published_claim_shows_its_corrections_log(client, editor, reviewer, published):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="The rate was 2.1 points."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=factories.ReviewerFactory(), version=copy.version)
    client.force_login(reviewer)
    page = client.get(published.get_absolute_url(), headers=HTMX).text
    assert "Corrections" in page and "The rate was 2.1 points." in page
    assert "Correction published" in page


# --- comments, history, access -------------------------------------------------------------


def test_comments_join_the_history(client, reviewer, draft):
    client.force_login(reviewer)
    response = client.post(
        url("claim_comment", draft.pk), {"comment": "Check the Q3 figure too."}, headers=HTMX
    )
    assert response.status_code == 200
    event = draft.events.order_by("id").last()
    assert (event.action, event.actor, event.comment) == (
        "commented",
        reviewer,
        "Check the Q3 figure too.",
    )
    history = client.get(url("claim_history", draft.pk), headers=HTMX)
    assert "Check the Q3 figure too." in history.text and reviewer.username in history.text
    assert client.get(url("claim_history", draft.pk)).status_code == 200


def test_outsiders_and_anonymous_visitors_cannot_use_the_review_views(client, outsider, draft):
    posts = [
        url("claim_verdict", draft.pk),
        url("evidence_create", draft.pk),
        url("claim_transition", draft.pk, "submit"),
        url("claim_comment", draft.pk),
    ]
    before = writes()
    for target in posts:
        assert client.post(target, {"version": draft.version}).status_code == 302
    assert client.get(url("dashboard")).status_code == 302
    client.force_login(outsider)
    for target in posts:
        assert client.post(target, {"version": draft.version}).status_code == 403
    assert client.get(url("dashboard")).status_code == 403
    assert client.get(url("claim_history", draft.pk)).status_code == 403
    assert writes() == before


def test_review_views_need_csrf(editor, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(url("claim_verdict", draft.pk), {"version": 1, "summary": "x"})
    assert response.status_code == 403
    assert Claim.objects.get(pk=draft.pk).summary == ""


# --- dashboard ---------------------------------------------------------------------------


def test_dashboard_queues_for_editor_and_reviewer(
    client, editor, reviewer, article, django_assert_max_num_queries
):
    mine = workflow.mark(article, by=editor, quote="the minister told")
    waiting = ready_for_review(workflow.mark(article, by=editor, quote="Critics said"), by=editor)
    waiting = workflow.submit(waiting, by=editor, version=waiting.version)
    sent_back = ready_for_review(
        workflow.mark(article, by=editor, quote="figures were incomplete"), by=editor
    )
    sent_back = workflow.submit(sent_back, by=editor, version=sent_back.version)
    sent_back = workflow.request_changes(
        sent_back, by=reviewer, version=sent_back.version, comment="More."
    )
    live = published_claim(
        workflow.mark(article, by=editor, quote="unemployment fell"),
        editor=editor,
        reviewer=reviewer,
    )

    client.force_login(editor)
    page = client.get(url("dashboard")).text
    assert "<h1>Dashboard</h1>" in page
    counts = dict(re.findall(r'data-queue="(\w+)">(\d+)<', page))
    # No review queues for an editor.
    assert counts == {"assigned": "0", "drafts": "1", "changes": "1", "published": "1"}
    assert str(mine) in page and str(sent_back) in page and str(live) in page

    client.force_login(reviewer)
    with django_assert_max_num_queries(15):
        partial = client.get(url("dashboard"), headers=HTMX)
    assert "<h1>" not in partial.text and 'id="queues"' in partial.text
    assert 'hx-trigger="claimChanged from:body' in partial.text
    counts = dict(re.findall(r'data-queue="(\w+)">(\d+)<', partial.text))
    assert counts == {
        "assigned": "0",
        "requested": "0",
        "review": "1",
        "drafts": "0",
        "changes": "0",
        "published": "1",
    }
    assert str(waiting) in partial.text

    workflow.approve(waiting, by=reviewer, version=waiting.version)
    counts = dict(re.findall(r'data-queue="(\w+)">(\d+)<', client.get(url("dashboard")).text))
    assert counts["review"] == "0" and counts["published"] == "2"


def test_navigation_links_to_the_dashboard(client, editor):
    client.force_login(editor)
    page = client.get(reverse("annotations:article_list")).text
    assert f'href="{url("dashboard")}"' in page
    assert "css/review.css" in page


def test_the_timeline_reads_as_labels_not_codes(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url(), headers=HTMX).text
    timeline = page[page.index('class="review-history"') :]
    assert "<ins>Mostly false</ins>" in timeline
    assert "<del>Draft</del> → <ins>In review</ins>" in timeline
    assert "Submitted for review</strong> by " + in_review.submitted_by.username in timeline


def test_a_refused_plain_post_shows_the_reader_with_the_errors(client, editor, draft):
    client.force_login(editor)
    before = writes()
    response = client.post(
        url("evidence_create", draft.pk), {"version": draft.version, "url": "ftp://x.example"}
    )
    assert response.status_code == 422
    assert 'id="article-body"' in response.text and 'id="claim-review"' in response.text
    assert "http:// or https://" in response.text
    assert writes() == before


# --- feedback, context and the workflow's details ------------------------------------------


def test_a_refusal_is_an_alert_inside_the_form_that_was_sent(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("claim_transition", draft.pk, "submit"), {"version": draft.version}, headers=HTMX
    )
    assert response.status_code == 409
    form = re.search(
        r'<form[^>]*aria-label="Submit for review".*?</form>', response.text, re.S
    ).group(0)
    assert '<p class="alert" role="alert">Before submitting, add a verdict' in form
    assert response.text.count('role="alert"') == 1


def test_the_review_panel_shows_the_claim_in_its_paragraph_and_who_submitted_it(
    client, reviewer, editor, article
):
    claim = ready_for_review(
        workflow.mark(article, by=editor, quote="unemployment fell by 3 percent"), by=editor
    )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url(), headers=HTMX).text
    before, after = article.body[: claim.start], article.body[claim.end :]
    passage = re.search(r'<figure class="passage">.*?</figure>', page, re.S).group(0)
    assert f'<mark class="claim-quote">{claim.quote}</mark>' in passage
    assert before.split("\n\n")[-1][-20:] in passage or before.endswith("\n\n")
    assert after.split("\n\n")[0][:15] in passage
    assert f'<a href="{claim.get_absolute_url()}">Open in the article</a>' in passage
    assert f"Submitted by <strong>{editor.username}</strong>" in page
    assert "waiting" in page


def test_the_latest_change_request_tops_the_panel_and_the_editors_queue(
    client, editor, reviewer, in_review
):
    claim = workflow.request_changes(
        in_review, by=reviewer, version=in_review.version, comment="First, older note."
    )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    workflow.request_changes(
        claim, by=reviewer, version=claim.version, comment="Cite the release itself."
    )
    client.force_login(editor)
    page = client.get(in_review.get_absolute_url(), headers=HTMX).text
    top = page[: page.index('class="passage"')]
    assert "Changes requested" in top and "Cite the release itself." in top
    assert "First, older note." not in top
    queue = client.get(url("dashboard")).text
    changes = re.search(r'<section class="queue queue-changes".*?</section>', queue, re.S).group(0)
    assert "Cite the release itself." in changes and "First, older note." not in changes


def test_a_reviewer_dismisses_a_claim_in_review_with_a_note(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url(), headers=HTMX).text
    assert 'aria-label="Dismiss"' in page and "Why it is not check-worthy (required)" in page
    response = client.post(
        url("claim_transition", in_review.pk, "dismiss"),
        {"version": in_review.version, "comment": "Opinion, not a fact."},
        headers=HTMX,
    )
    assert response.status_code == 200
    claim = Claim.objects.get(pk=in_review.pk)
    assert claim.status == "dismissed"
    assert claim.events.order_by("id").last().comment == "Opinion, not a fact."


def test_approve_asks_first_and_looks_unlike_request_changes(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url(), headers=HTMX).text
    approve = re.search(r'<form[^>]*aria-label="Approve and publish".*?</form>', page, re.S)
    request = re.search(r'<form[^>]*aria-label="Request changes".*?</form>', page, re.S)
    assert 'hx-confirm="Publish this fact-check now?' in approve.group(0)
    assert 'class="primary approve"' in approve.group(0)
    assert 'class="secondary"' in request.group(0) and "hx-confirm" not in request.group(0)


def test_one_status_badge_everywhere(client, reviewer, in_review):
    client.force_login(reviewer)
    badge = '<span class="status-badge status-in_review">In review</span>'
    assert badge in client.get(in_review.get_absolute_url(), headers=HTMX).text
    assert badge in client.get(url("dashboard")).text
    assert badge in client.get(in_review.article.get_absolute_url()).text
    assert 'class="badge' not in client.get(url("dashboard")).text


def test_the_timeline_of_a_published_claim_shows_its_corrections_working_copy(
    client, editor, reviewer, published
):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="The rate."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="It fell by 2 points.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    client.force_login(editor)
    page = client.get(published.get_absolute_url(), headers=HTMX).text
    timeline = page[page.index('class="review-history"') :]
    assert timeline.count('class="event event-edited on-copy"') == 1
    assert "correction copy v" in timeline
    assert timeline.index("Correction started") < timeline.index("Correction published")
    copy_page = client.get(copy.get_absolute_url(), headers=HTMX).text
    assert '<span class="status-badge status-superseded">Superseded</span>' in copy_page
    assert "Approve and publish" not in copy_page
