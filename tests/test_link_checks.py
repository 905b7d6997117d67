"""Link checks of published sources against their archived copies."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from annotations import archive, tasks, workflow
from annotations.models import Evidence
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


def published_with(draft, editor, reviewer, url: str, run_tasks) -> Evidence:
    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="No."
    )
    evidence = workflow.add_evidence(claim, by=editor, version=claim.version, url=url, title="S")
    run_tasks()
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    workflow.approve(claim, by=reviewer, version=claim.version)
    evidence.refresh_from_db()
    return evidence


def make_due(evidence: Evidence) -> None:
    Evidence.objects.filter(pk=evidence.pk).update(
        link_next_check_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def test_an_unchanged_page_stays_ok(draft, editor, reviewer, source_site, run_tasks):
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/fine", run_tasks)
    make_due(evidence)
    call_command("check_sources")
    evidence.refresh_from_db()
    assert evidence.link_status == Evidence.LinkStatus.OK
    assert source_site.hits["/fine"] == 2


def test_a_changed_page_is_marked_changed_since_archived(
    draft, editor, reviewer, source_site, run_tasks, capsys
):
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/changing", run_tasks)
    make_due(evidence)
    call_command("check_sources")
    assert "1 changed since archived" in capsys.readouterr().out
    evidence.refresh_from_db()
    assert evidence.link_status == Evidence.LinkStatus.CHANGED
    assert evidence.link_since is not None
    assert evidence in archive.needs_attention()


def test_a_disappeared_page_is_gone_and_checked_again_later_and_later(
    draft, editor, reviewer, source_site, run_tasks, settings
):
    settings.FACTCHECK_LINK_CHECK_HOURS = 24
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/fine", run_tasks)
    source_site.gone.add("/fine")
    make_due(evidence)
    before = timezone.now()
    call_command("check_sources")
    evidence.refresh_from_db()
    assert evidence.link_status == Evidence.LinkStatus.GONE
    first_since = evidence.link_since
    assert evidence.link_failures == 1
    assert evidence.link_next_check_at >= before + datetime.timedelta(hours=48)
    make_due(evidence)
    call_command("check_sources")
    evidence.refresh_from_db()
    assert evidence.link_failures == 2
    assert evidence.link_since == first_since  # gone since the first failure
    assert evidence.link_next_check_at >= before + datetime.timedelta(hours=96)


def test_a_page_that_comes_back_clears(draft, editor, reviewer, source_site, run_tasks):
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/fine", run_tasks)
    source_site.gone.add("/fine")
    make_due(evidence)
    call_command("check_sources")
    source_site.gone.clear()
    make_due(evidence)
    call_command("check_sources")
    evidence.refresh_from_db()
    assert evidence.link_status == Evidence.LinkStatus.OK
    assert evidence.link_since is None and evidence.link_failures == 0


def test_sources_not_due_are_left_alone(draft, editor, reviewer, source_site, run_tasks):
    published_with(draft, editor, reviewer, f"{source_site.url}/fine", run_tasks)
    call_command("check_sources")
    assert source_site.hits["/fine"] == 1


def test_drafts_are_not_checked(draft, editor, source_site, run_tasks):
    evidence = workflow.add_evidence(
        draft, by=editor, version=draft.version, url=f"{source_site.url}/fine"
    )
    run_tasks()
    make_due(evidence)
    call_command("check_sources", "--all")
    assert source_site.hits["/fine"] == 1


def test_the_periodic_task_checks_due_sources_and_queues_its_next_round(
    draft, editor, reviewer, source_site, run_tasks
):
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/changing", run_tasks)
    make_due(evidence)
    assert tasks.schedule_periodic() is True
    assert tasks.schedule_periodic() is False  # one round queued at a time
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.link_status == Evidence.LinkStatus.CHANGED
    from django_tasks_db.models import DBTaskResult

    following = DBTaskResult.objects.get(task_path=tasks.TASK_PATH_CHECK_SOURCES, status="READY")
    assert following.run_after > timezone.now()


def test_gone_and_changed_sources_show_in_the_desk_queue_and_the_panel(
    client, editor, draft, reviewer, source_site, run_tasks
):
    evidence = published_with(draft, editor, reviewer, f"{source_site.url}/fine", run_tasks)
    source_site.gone.add("/fine")
    make_due(evidence)
    call_command("check_sources")
    evidence.refresh_from_db()
    client.force_login(editor)
    queue = client.get("/sources/").text
    assert "Sources to look at" in queue
    assert f"gone since {evidence.link_since:%-d %b %Y}" in queue
    state = client.get(f"/sources/{evidence.pk}/state/").text
    assert "gone since" in state
    public = client.get(f"/factchecks/{evidence.claim_id}/").text
    assert "Archived copy ·" in public  # readers still reach the copy


def test_the_desk_queue_is_empty_when_all_is_well(client, editor):
    client.force_login(editor)
    assert "Every published source is as it was archived." in client.get("/sources/").text
