"""Archiving sources on the queue: what is stored, retries, limits, refusals,
recovery from a killed worker, and serving the copies."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from warcio.archiveiterator import ArchiveIterator

from annotations import archive, importers, tasks, workflow
from annotations.models import Archive, Evidence
from tests import factories
from tests.source_site import FINE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def add_source(claim, editor, url: str, **fields) -> Evidence:
    return workflow.add_evidence(claim, by=editor, version=claim.version, url=url, **fields)


def archive_tasks(status=None):
    results = DBTaskResult.objects.filter(task_path="annotations.tasks.archive_source")
    return results.filter(status=status) if status else results


def test_adding_a_source_queues_its_archive_and_the_worker_stores_it(
    draft, editor, source_site, run_tasks
):
    evidence = add_source(
        draft, editor, f"{source_site.url}/fine", excerpt="Unemployment fell by 2.1 percent"
    )
    assert evidence.archive_pending
    assert archive_tasks(TaskResultStatus.READY).count() == 1
    assert source_site.hits == {}  # nothing fetched while the editor waited

    assert run_tasks() == 1
    evidence.refresh_from_db()
    copy = evidence.archive
    assert copy.status == Archive.Status.OK
    assert copy.http_status == 200
    assert copy.sha256 == hashlib.sha256(FINE).hexdigest()
    assert copy.size == len(FINE)
    assert copy.content_type == "text/html"
    assert "Unemployment fell by 2.1 percent" in copy.text
    assert copy.fetched_at <= timezone.now()
    assert evidence.link_status == Evidence.LinkStatus.OK
    assert evidence.link_next_check_at > timezone.now()


def test_the_warc_record_holds_the_exact_response_body(draft, editor, source_site, run_tasks):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    evidence.refresh_from_db()
    with default_storage.open(evidence.archive.warc.name, "rb") as handle:
        data = handle.read()
    records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(data))
    ]
    assert records == [("resource", f"{source_site.url}/fine", FINE)]
    assert gzip.decompress(data)  # stored gzipped, as WARC tools expect


def test_the_sanitized_copy_has_no_scripts_or_handlers(draft, editor, source_site, run_tasks):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    evidence.refresh_from_db()
    html = default_storage.open(evidence.archive.html.name).read().decode()
    assert "Officials published the quarterly labour market figures" in html
    assert "<script" not in html.lower()
    assert "onclick" not in html.lower()
    assert "document.title" not in html


def test_running_the_task_twice_keeps_one_archive(draft, editor, source_site, run_tasks):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    tasks.archive_source.enqueue(evidence.pk)
    run_tasks()
    assert Archive.objects.count() == 1
    assert source_site.hits["/fine"] == 1


def test_the_same_url_cited_twice_shares_one_fresh_archive(draft, editor, source_site, run_tasks):
    first = add_source(draft, editor, f"{source_site.url}/fine")
    draft.refresh_from_db()
    second = add_source(draft, editor, f"{source_site.url}/fine", title="again")
    run_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.archive_id == second.archive_id
    assert source_site.hits["/fine"] == 1


def test_a_failure_that_may_pass_is_retried_with_backoff(
    draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_TASK_BACKOFF = 0
    source_site.failures_left["/flaky"] = 2
    evidence = add_source(draft, editor, f"{source_site.url}/flaky")
    assert run_tasks() == 3
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK
    attempts = sorted(r.args_kwargs["kwargs"].get("attempt", 1) for r in archive_tasks())
    assert attempts == [1, 2, 3]


def test_retries_wait_longer_each_time(draft, editor, source_site, run_tasks, settings):
    settings.FACTCHECK_TASK_BACKOFF = 30
    source_site.failures_left["/flaky"] = 5
    add_source(draft, editor, f"{source_site.url}/flaky")
    before = timezone.now()
    run_tasks()
    retry = archive_tasks(TaskResultStatus.READY).get()
    assert retry.run_after >= before + datetime.timedelta(seconds=30)
    assert retry.run_after < before + datetime.timedelta(seconds=60)


def test_after_the_last_attempt_the_source_shows_the_failure(
    draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_TASK_BACKOFF = 0
    settings.FACTCHECK_TASK_ATTEMPTS = 2
    source_site.failures_left["/flaky"] = 5
    evidence = add_source(draft, editor, f"{source_site.url}/flaky")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.FAILED
    assert evidence.archive.http_status == 503
    assert "HTTP 503" in evidence.archive.error
    assert not evidence.archive.warc


def test_a_slow_page_runs_into_the_fetch_timeout(draft, editor, source_site, run_tasks, settings):
    settings.FACTCHECK_FETCH_TIMEOUT = 0.5
    settings.FACTCHECK_TASK_ATTEMPTS = 1
    source_site.slow_seconds = 3
    evidence = add_source(draft, editor, f"{source_site.url}/slow")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.FAILED
    assert "took longer than" in evidence.archive.error


def test_the_task_time_limit_stops_a_stuck_task(draft, editor, source_site, run_tasks, settings):
    settings.FACTCHECK_TASK_TIME_LIMIT = 0.5
    settings.FACTCHECK_TASK_ATTEMPTS = 1
    source_site.slow_seconds = 3
    evidence = add_source(draft, editor, f"{source_site.url}/slow")
    started = timezone.now()
    run_tasks()
    assert timezone.now() - started < datetime.timedelta(seconds=2.5)
    evidence.refresh_from_db()
    assert "time limit" in evidence.archive.error


def test_a_huge_page_is_refused_and_nothing_is_stored(
    draft, editor, source_site, run_tasks, settings, media
):
    settings.FACTCHECK_IMPORT_MAX_BYTES = 1_000_000
    evidence = add_source(draft, editor, f"{source_site.url}/huge")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.FAILED
    assert "larger than the limit" in evidence.archive.error
    assert not media.exists() or not any(media.rglob("*.warc.gz"))


def test_a_redirect_to_a_private_address_is_refused(
    draft, editor, source_site, run_tasks, settings, monkeypatch, media
):
    # The local site stands in for a public one; everything else keeps the rules.
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    check = importers._check_address
    monkeypatch.setattr(
        importers,
        "_check_address",
        lambda host, port: "127.0.0.1" if host == "127.0.0.1" else check(host, port),
    )
    evidence = add_source(draft, editor, f"{source_site.url}/redirect-private")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.FAILED
    assert "This address is not allowed." in evidence.archive.error
    assert not media.exists() or not any(media.rglob("*.warc.gz"))


def test_a_private_address_is_refused_when_the_setting_is_off(
    draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.FAILED
    assert "This address is not allowed." in evidence.archive.error
    assert source_site.hits == {}


def test_a_pdf_is_archived_without_text_or_html(draft, editor, source_site, run_tasks):
    evidence = add_source(draft, editor, f"{source_site.url}/pdf")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.content_type == "application/pdf"
    assert evidence.archive.text == ""
    assert not evidence.archive.html
    assert evidence.archive.warc


def test_editing_the_link_archives_the_new_page(draft, editor, source_site, run_tasks):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    draft.refresh_from_db()
    workflow.change_evidence(
        evidence, by=editor, version=draft.version, url=f"{source_site.url}/changing"
    )
    evidence.refresh_from_db()
    assert evidence.archive_pending
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.url == f"{source_site.url}/changing"


def test_a_killed_worker_leaves_no_half_written_archive_and_its_task_runs_again(
    draft, editor, source_site, run_tasks, settings
):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    # A worker claimed the task and died while writing the WARC file.
    result = archive_tasks().get()
    result.claim("dead-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    digest = hashlib.sha256(FINE).hexdigest()
    partial = f"archives/{digest[:2]}/{digest}.warc.gz"
    default_storage.save(partial, io.BytesIO(b"\x1f\x8b half"))
    evidence.refresh_from_db()
    assert evidence.archive_pending  # nothing a reader can see

    assert tasks.recover_stalled() == 1
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert "WorkerLost" in result.exception_class_path
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK
    assert evidence.archive.warc.name == partial
    with default_storage.open(partial, "rb") as handle:
        record = next(iter(ArchiveIterator(handle)))
        assert record.content_stream().read() == FINE
    assert Archive.objects.count() == 1


def test_a_task_running_within_its_limit_is_left_alone(draft, editor):
    add_source(draft, editor, "https://stats.example.org/q1")
    archive_tasks().get().claim("live-worker")
    assert tasks.recover_stalled() == 0


def test_the_periodic_round_archives_sources_that_have_none(draft, editor, run_tasks):
    evidence = add_source(draft, editor, "https://stats.example.org/q1")
    archive_tasks().delete()
    assert tasks.archive_missing() == 1
    assert tasks.archive_missing() == 0  # already queued
    assert archive_tasks().get().args_kwargs["args"] == [evidence.pk]


def test_tasks_command_lists_and_retries_failed_tasks(draft, editor, capsys):
    add_source(draft, editor, "https://stats.example.org/q1")
    result = archive_tasks().get()
    result.set_failed(RuntimeError("boom"))
    call_command("tasks")
    out = capsys.readouterr().out
    assert "failed: 1" in out
    assert str(result.pk) in out and "RuntimeError: boom" in out
    call_command("tasks", "--retry", str(result.pk))
    assert "1 task(s) queued again" in capsys.readouterr().out
    assert archive_tasks(TaskResultStatus.READY).count() == 1
    assert not archive_tasks(TaskResultStatus.FAILED).exists()


def test_tasks_command_refuses_an_unknown_id(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No failed task"):
        call_command("tasks", "--retry", "00000000-0000-0000-0000-000000000000")


def test_excerpt_is_found_across_whitespace_and_case():
    parts = archive.excerpt_parts(
        "One.\n\nUnemployment  fell\nby 2.1%. Two.", "unemployment fell by"
    )
    assert parts == ("One.\n\n", "Unemployment  fell\nby", " 2.1%. Two.")
    assert archive.excerpt_parts("nothing here", "unemployment") is None


# --- serving archived copies -------------------------------------------------------


@pytest.fixture
def archived(draft, editor, source_site, run_tasks) -> Evidence:
    evidence = add_source(
        draft, editor, f"{source_site.url}/fine", excerpt="Unemployment fell by 2.1 percent"
    )
    run_tasks()
    evidence.refresh_from_db()
    return evidence


def test_the_archived_copy_page_highlights_the_excerpt(editor_client, archived):
    response = editor_client.get(f"/sources/{archived.pk}/archive/")
    assert response.status_code == 200
    text = response.text
    assert '<mark id="excerpt">Unemployment fell by 2.1 percent</mark>' in text
    assert archived.archive.sha256 in text
    assert "HTTP 200" in text


def test_the_sanitized_page_is_served_in_a_sandbox(editor_client, archived):
    response = editor_client.get(f"/sources/{archived.pk}/archive/page.html")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in b"".join(response.streaming_content)


def test_the_warc_record_is_a_download(editor_client, archived):
    response = editor_client.get(f"/sources/{archived.pk}/archive/record.warc.gz")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/warc"


def test_the_public_cannot_see_the_archive_of_an_unpublished_claim(client, archived):
    assert client.get(f"/sources/{archived.pk}/archive/").status_code == 404
    assert client.get(f"/sources/{archived.pk}/archive/page.html").status_code == 404


def test_the_public_page_links_the_archived_copy_once_published(
    client, draft, editor, reviewer, source_site, run_tasks
):
    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="No."
    )
    evidence = add_source(claim, editor, f"{source_site.url}/fine", title="Labour statistics")
    run_tasks()
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    workflow.approve(claim, by=reviewer, version=claim.version)
    evidence.refresh_from_db()
    page = client.get(f"/factchecks/{claim.pk}/").text
    stamp = timezone.localtime(evidence.archive.fetched_at).strftime("%-d %b %Y %H:%M")
    assert f"Archived copy · {stamp}" in page
    assert client.get(f"/sources/{evidence.pk}/archive/").status_code == 200


def test_the_panel_polls_while_archiving_and_then_links_the_copy(
    editor_client, draft, editor, source_site, run_tasks
):
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    state = editor_client.get(f"/sources/{evidence.pk}/state/").text
    assert "archiving…" in state and "hx-trigger" in state
    run_tasks()
    state = editor_client.get(f"/sources/{evidence.pk}/state/").text
    assert "Archived copy ·" in state and "hx-trigger" not in state


def test_a_failed_archive_can_be_retried_from_the_panel(
    editor_client, draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    state = editor_client.get(f"/sources/{evidence.pk}/state/").text
    assert "failed: This address is not allowed." in state and "Retry archive" in state
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    response = editor_client.post(f"/sources/{evidence.pk}/retry/", HTTP_HX_REQUEST="true")
    assert "archiving…" in response.text
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK


# --- screenshots (optional) ------------------------------------------------------------


def test_a_screenshot_of_the_sanitized_copy_is_kept_when_switched_on(
    editor_client, draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_ARCHIVE_SCREENSHOTS = True
    settings.FACTCHECK_CHROMIUM = os.environ.get("CHROMIUM_PATH", "chromium")
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.screenshot
    response = editor_client.get(f"/sources/{evidence.pk}/archive/screenshot.png")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")
    assert source_site.hits == {"/fine": 1}  # the browser never loaded the live page


def test_screenshots_are_skipped_cleanly_when_no_browser_is_installed(
    draft, editor, source_site, run_tasks, settings
):
    settings.FACTCHECK_ARCHIVE_SCREENSHOTS = True
    settings.FACTCHECK_CHROMIUM = "no-such-browser"
    evidence = add_source(draft, editor, f"{source_site.url}/fine")
    run_tasks()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK
    assert not evidence.archive.screenshot
