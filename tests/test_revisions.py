from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations import revisions, workflow
from annotations.models import Article, ArticleEvent, ChangeEntry, Claim, ClaimEvent
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db


def _revise_body(article: Article, by, **replacements: str) -> revisions.Revised:
    body = article.body
    for old, new in replacements.items():
        assert old in body
        body = body.replace(old, new)
    return revisions.revise(article, by=by, body=body)


def test_metadata_edit_is_recorded_with_before_and_after(article, editor):
    revisions.edit(
        article,
        by=editor,
        byline="Jane Doe",
        canonical_url="https://news.example.com/canonical",
        published_on=None,
        language="en",
    )
    article.refresh_from_db()
    assert article.byline == "Jane Doe"
    assert article.canonical_url == "https://news.example.com/canonical"
    event = ArticleEvent.objects.get(article=article)
    assert event.action == "edited"
    assert event.actor == editor
    assert event.changes == {
        "byline": ["", "Jane Doe"],
        "canonical_url": ["", "https://news.example.com/canonical"],
    }


def test_metadata_edit_without_change_writes_nothing(article, editor):
    revisions.edit(article, by=editor, byline=article.byline, language=article.language)
    assert not ArticleEvent.objects.exists()


def test_invalid_metadata_is_refused_and_nothing_is_written(article, editor):
    with pytest.raises(revisions.RevisionRejected):
        revisions.edit(article, by=editor, source_url="ftp://example.com/x")
    assert not ArticleEvent.objects.exists()
    article.refresh_from_db()
    assert article.source_url.startswith("https://")


def test_editing_what_a_published_claim_shows_gives_it_a_new_version_and_updated_entry(
    published, editor
):
    version = published.version
    revisions.edit(published.article, by=editor, source_name="Another Outlet")
    published.refresh_from_db()
    assert published.version == version + 1
    assert ChangeEntry.objects.filter(claim=published).last().action == "updated"


def test_editing_the_byline_does_not_touch_published_claims(published, editor):
    version = published.version
    revisions.edit(published.article, by=editor, byline="Somebody")
    published.refresh_from_db()
    assert published.version == version


def test_body_cannot_change_outside_a_revision(draft):
    article = draft.article
    article.body = article.body + "\n\nMore."
    with pytest.raises(ValidationError):
        article.save()


def test_headline_cannot_change_outside_a_revision_when_it_holds_a_claim(article, editor):
    workflow.mark(article, by=editor, part="headline", quote="Article")
    article.title = "Changed"
    with pytest.raises(ValidationError):
        article.save()


def test_headline_edit_with_a_claim_in_it_becomes_a_revision(article, editor):
    claim = workflow.mark(article, by=editor, part="headline", quote="Article")
    revisions.edit(article, by=editor, title="Breaking: " + article.title)
    article.refresh_from_db()
    claim.refresh_from_db()
    assert article.revision == 2
    assert article.title[claim.start : claim.end] == claim.quote == "Article"
    assert claim.start == len("Breaking: ")


def test_revision_moves_claims_exactly_when_text_is_inserted_before(draft, other_editor):
    result = _revise_body(draft.article, other_editor, **{"Story": "Updated story"})
    draft.refresh_from_db()
    assert result.counts["exact"] == 1
    assert draft.article.body[draft.start : draft.end] == draft.quote
    assert draft.article.revision == 2
    assert draft.events.last().action == ClaimEvent.Action.REANCHORED


def test_fuzzy_reanchor_records_the_quote_change(draft, other_editor):
    _revise_body(draft.article, other_editor, **{"unemployment fell": "unemployment has fallen"})
    draft.refresh_from_db()
    assert draft.quote == "unemployment has fallen by 3 percent last year"
    assert draft.article.body[draft.start : draft.end] == draft.quote
    event = draft.events.last()
    assert event.action == "reanchored"
    assert event.comment.startswith(
        "re-anchored: quote changed from “unemployment fell by 3 percent last year” to "
        "“unemployment has fallen by 3 percent last year”"
    )
    assert event.changes["match"][1].startswith("fuzzy")


def test_rewritten_passage_becomes_an_orphan_on_its_old_revision(draft, other_editor):
    _revise_body(
        draft.article,
        other_editor,
        **{"The minister said unemployment fell by 3 percent last year.": "Jobs news was mixed."},
    )
    draft.refresh_from_db()
    assert draft.is_orphan
    assert draft.orphan_revision.number == 1
    assert draft.orphan_revision.body[draft.start : draft.end] == draft.quote
    assert list(Claim.objects.orphaned()) == [draft]


def test_published_claim_with_a_spelling_fix_stays_published_with_an_updated_entry(
    article, editor, reviewer, other_editor
):
    claim = workflow.mark(article, by=editor, quote="the figures were incomplete")
    claim = published_claim(claim, editor=editor, reviewer=reviewer)
    _revise_body(article, other_editor, **{"figures were": "figures  were"})
    claim.refresh_from_db()
    assert claim.status == "published"
    assert claim.quote == "the figures  were incomplete"
    assert ChangeEntry.objects.filter(claim=claim).last().action == "updated"


def test_published_claim_whose_quote_changes_meaning_goes_back_to_review(published, other_editor):
    _revise_body(published.article, other_editor, **{"3 percent": "4 percent"})
    published.refresh_from_db()
    assert published.status == "in_review"
    assert ChangeEntry.objects.filter(claim=published).last().action == "withdrawn"
    assert "The meaning changed" in published.events.last().comment


def test_revision_applies_to_all_claims_or_none(article, editor, monkeypatch):
    first = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    workflow.mark(article, by=editor, quote="Critics said")

    def disk_full(*args, **kwargs):
        raise RuntimeError("disk full")

    # The claims are written, then their events fail: nothing may remain.
    monkeypatch.setattr(ClaimEvent.objects, "bulk_create", disk_full)
    with pytest.raises(RuntimeError):
        _revise_body(article, editor, **{"Story": "A longer story"})
    article.refresh_from_db()
    first.refresh_from_db()
    assert article.revision == 1
    assert article.body.startswith("Story")
    assert first.start == article.body.index(first.quote)
    assert first.version == 1
    assert not article.revisions.exists()


def test_unchanged_text_is_not_a_revision(draft, editor):
    result = revisions.revise(draft.article, by=editor, body=draft.article.body)
    assert not result.changed
    assert not ArticleEvent.objects.exists()


def test_revision_history_keeps_every_text(draft, editor):
    original = draft.article.body
    _revise_body(draft.article, editor, **{"Story": "Story, updated"})
    first, second = draft.article.revisions.order_by("number")
    assert first.body == original
    assert second.body == Article.objects.get(pk=draft.article_id).body
    assert ArticleEvent.objects.get(action="revised").summary["exact"] == 1


def test_reattach_puts_an_orphan_on_the_selected_text(draft, other_editor):
    _revise_body(
        draft.article,
        other_editor,
        **{"The minister said unemployment fell by 3 percent last year.": "Joblessness dropped."},
    )
    draft.refresh_from_db()
    body = draft.article.body
    start = body.index("Joblessness dropped")
    claim = workflow.reattach(
        draft,
        by=other_editor,
        version=draft.version,
        part="body",
        start=start,
        end=start + len("Joblessness dropped"),
        quote="Joblessness dropped",
    )
    assert not claim.is_orphan
    assert claim.quote == "Joblessness dropped"
    assert claim.events.last().action == "reattached"


def test_reattach_refuses_a_selection_that_does_not_match(draft, other_editor):
    _revise_body(
        draft.article,
        other_editor,
        **{"The minister said unemployment fell by 3 percent last year.": "Joblessness dropped."},
    )
    draft.refresh_from_db()
    with pytest.raises(workflow.Invalid):
        workflow.reattach(
            draft,
            by=other_editor,
            version=draft.version,
            part="body",
            start=0,
            end=5,
            quote="Wrong",
        )
    draft.refresh_from_db()
    assert draft.is_orphan


def test_dismissing_an_orphan_sets_it_aside(draft, other_editor):
    _revise_body(
        draft.article,
        other_editor,
        **{"The minister said unemployment fell by 3 percent last year.": "Joblessness dropped."},
    )
    draft.refresh_from_db()
    workflow.dismiss_orphan(draft, by=other_editor, version=draft.version)
    draft.refresh_from_db()
    assert draft.status == "dismissed"
    assert not Claim.objects.orphaned().exists()


def test_word_diff_gives_back_both_texts():
    before, after = "The cat sat on the mat.", "The dog sat on a red mat!"
    runs = revisions.word_diff(before, after)
    assert "".join(t for op, t in runs if op != "insert") == before
    assert "".join(t for op, t in runs if op != "delete") == after
    assert ("delete", "cat") in runs and ("insert", "dog") in runs


def test_public_page_says_the_article_changed_and_links_to_the_diff(client, published, editor):
    page = client.get(f"/factchecks/{published.pk}/").content.decode()
    assert "The article changed after" not in page
    _revise_body(published.article, editor, **{"Critics said": "Several critics said"})
    page = client.get(f"/factchecks/{published.pk}/").content.decode()
    assert "The article changed after this fact-check was published" in page
    changes = client.get(f"/factchecks/{published.pk}/changes/")
    assert changes.status_code == 200
    assert "<del>Critics</del><ins>Several critics</ins>" in changes.content.decode()


def test_changes_page_of_an_unpublished_claim_is_404(client, draft):
    assert client.get(f"/factchecks/{draft.pk}/changes/").status_code == 404
