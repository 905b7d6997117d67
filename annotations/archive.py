"""Archived copies of evidence sources, and link checks against them.

A page is fetched through the importer's fetcher (same SSRF rules, same
size and time limits) and kept as a WARC record, its readable text, a
sanitized HTML rendering and, when switched on, a screenshot of that
rendering. Files go through Django's storage API under content-addressed
names, and the ``Archive`` row that points at them is written last, in one
transaction: a worker killed half-way leaves nothing a reader can see, and
the retry rewrites the same names.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nh3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from warcio.warcwriter import WARCWriter

from annotations import importers, uploads
from annotations.models import Archive, Claim, Evidence

# An archive fetched this recently is shared by another source with the
# same URL (a correction's copy of the evidence, the same page cited twice).
REUSE_WITHIN = datetime.timedelta(hours=24)
# Longest wait between two link checks of a failing source.
MAX_CHECK_BACKOFF = datetime.timedelta(days=30)


class Transient(Exception):
    """A failure that may pass (timeout, refused connection, HTTP 5xx/429):
    the task is retried with backoff."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    final_url: str
    http_status: int
    fetched_at: datetime.datetime


def _http_status(message: str) -> int | None:
    # The importer's fetcher reports a non-200 answer only in its message.
    match = re.search(r"answered HTTP (\d{3})", message)
    return int(match.group(1)) if match else None


def _is_transient(message: str, status: int | None) -> bool:
    if status is not None:
        return status >= 500 or status == 429
    return message.startswith("Could not fetch")


def fetch(url: str) -> Fetched:
    """Fetch ``url`` with the importer's fetcher. Raises ``Transient`` for a
    failure worth retrying and ``importers.ImportRejected`` otherwise."""
    try:
        data, final_url = importers.fetch(url)
    except importers.ImportRejected as error:
        status = _http_status(error.message)
        if _is_transient(error.message, status):
            raise Transient(error.message) from None
        raise
    return Fetched(data, final_url, 200, timezone.now())


def sniff_type(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "text/html"
    return "text/plain"


def readable_text(data: bytes, content_type: str, url: str) -> str:
    """The main text of a page, as the importer would extract it; empty when
    there is none (a PDF, an empty page)."""
    if content_type == "application/pdf":
        return ""
    try:
        text = importers.decode(data, name="The page")
        parsed = importers.parse(
            text, filename="page.html" if content_type == "text/html" else "page.txt", url=url
        )
    except importers.ImportRejected:
        return ""
    return "\n\n".join(part for part in (parsed.title, parsed.standfirst, parsed.body) if part)


def sanitized_html(data: bytes, url: str) -> str:
    """The page with scripts, styles, frames, forms and handlers removed."""
    text = data.decode("utf-8", errors="replace")
    body = nh3.clean(text, link_rel="noopener noreferrer nofollow")
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>Archived copy of {nh3.clean_text(url)}</title></head>\n"
        f"<body>{body}</body></html>\n"
    )


def warc_record(fetched: Fetched, content_type: str) -> bytes:
    """One gzipped WARC ``resource`` record: the fetcher hands over the body,
    not the raw HTTP exchange, so a ``response`` record would be invented."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    record = writer.create_warc_record(
        fetched.final_url,
        "resource",
        payload=io.BytesIO(fetched.data),
        length=len(fetched.data),
        warc_content_type=content_type,
        warc_headers_dict={
            "WARC-Date": fetched.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "WARC-Payload-Digest": "sha256:" + hashlib.sha256(fetched.data).hexdigest(),
        },
    )
    writer.write_record(record)
    return buffer.getvalue()


def screenshot(html: str) -> bytes | None:
    """A PNG of the sanitized copy from headless Chromium, with no network
    (the live page is never loaded by the browser, so no SSRF by the back
    door); ``None`` when switched off or no browser is installed."""
    if not settings.FACTCHECK_ARCHIVE_SCREENSHOTS:
        return None
    browser = shutil.which(settings.FACTCHECK_CHROMIUM)
    if not browser:
        return None
    with tempfile.TemporaryDirectory() as folder:
        page, out = Path(folder) / "page.html", Path(folder) / "shot.png"
        page.write_text(html, encoding="utf-8")
        try:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--window-size=1280,2400",
                    f"--screenshot={out}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.read_bytes() if out.exists() else None


def _reusable(url: str) -> Archive | None:
    return (
        Archive.objects.filter(
            url=url, status=Archive.Status.OK, fetched_at__gte=timezone.now() - REUSE_WITHIN
        )
        .order_by("-fetched_at")
        .first()
    )


def build(url: str) -> Archive:
    """Fetch ``url`` and store its copy; returns an unsaved ``Archive``
    (``failed`` for a permanent refusal). Raises ``Transient``."""
    try:
        fetched = fetch(url)
    except importers.ImportRejected as error:
        return Archive(
            url=url,
            status=Archive.Status.FAILED,
            error=error.message,
            http_status=_http_status(error.message),
            fetched_at=timezone.now(),
        )
    digest = hashlib.sha256(fetched.data).hexdigest()
    content_type = sniff_type(fetched.data)
    text = readable_text(fetched.data, content_type, fetched.final_url)
    prefix = f"archives/{digest[:2]}/{digest}"
    archive = Archive(
        url=url,
        final_url=fetched.final_url,
        status=Archive.Status.OK,
        http_status=fetched.http_status,
        fetched_at=fetched.fetched_at,
        sha256=digest,
        content_type=content_type,
        size=len(fetched.data),
        text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest() if text else "",
    )
    archive.warc.name = uploads.store(f"{prefix}.warc.gz", warc_record(fetched, content_type))
    if content_type == "text/html":
        html = sanitized_html(fetched.data, fetched.final_url)
        archive.html.name = uploads.store(f"{prefix}.html", html.encode())
        shot = screenshot(html)
        if shot:
            archive.screenshot.name = uploads.store(f"{prefix}.png", shot)
    return archive


def capture(evidence_id: int) -> Archive | None:
    """Archive one URL source unless it already has a copy. Idempotent: a
    second run, or a run racing another, leaves one archive."""
    evidence = Evidence.objects.filter(pk=evidence_id, kind=Evidence.Kind.URL).first()
    if evidence is None or evidence.archive_id is not None:
        return None
    archive = _reusable(evidence.url) or build(evidence.url)
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
        if locked is None or locked.archive_id is not None or locked.url != evidence.url:
            return None
        if archive.pk is None:
            archive.save()
        now = timezone.now()
        if archive.is_ok:
            fields = {"link_status": Evidence.LinkStatus.OK, "link_since": None}
        else:
            fields = {"link_status": Evidence.LinkStatus.GONE, "link_since": now}
        Evidence.objects.filter(pk=evidence_id).update(
            archive=archive,
            link_checked_at=now,
            link_failures=0,
            link_next_check_at=now + datetime.timedelta(hours=settings.FACTCHECK_LINK_CHECK_HOURS),
            **fields,
        )
    return archive


def record_failure(evidence_id: int, message: str) -> None:
    """After the last retry: a failed archive the panel shows with its reason."""
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
        if evidence is None or evidence.archive_id is not None:
            return
        archive = Archive.objects.create(
            url=evidence.url,
            status=Archive.Status.FAILED,
            error=message,
            http_status=_http_status(message),
            fetched_at=timezone.now(),
        )
        Evidence.objects.filter(pk=evidence_id).update(archive=archive)


def forget(evidence: Evidence) -> None:
    """Drop a failed archive so that the source is archived again."""
    Evidence.objects.filter(pk=evidence.pk, archive__status=Archive.Status.FAILED).update(
        archive=None
    )


def excerpt_parts(text: str, excerpt: str) -> tuple[str, str, str] | None:
    """``(before, match, after)`` where the excerpt occurs in the archived
    text, ignoring case and runs of whitespace; ``None`` when it does not."""
    words = excerpt.split()
    if not words or not text:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text, flags=re.IGNORECASE)
    if match is None:
        return None
    return text[: match.start()], match.group(0), text[match.end() :]


# --- link checks -----------------------------------------------------------


def check_link(evidence: Evidence) -> str:
    """Fetch a source again and compare it with its archived copy: ``ok``,
    ``changed`` (the readable text, or the bytes when there is no text,
    differ) or ``gone`` (the page no longer answers). Failing sources are
    checked again with a doubling delay; a source back online clears."""
    now = timezone.now()
    archive = evidence.archive
    try:
        fetched = fetch(evidence.url)
    except (Transient, importers.ImportRejected):
        status, failures = Evidence.LinkStatus.GONE, evidence.link_failures + 1
    else:
        failures = 0
        if archive is None or not archive.is_ok:
            status = Evidence.LinkStatus.OK
        elif archive.text_sha256:
            text = readable_text(fetched.data, sniff_type(fetched.data), fetched.final_url)
            same = hashlib.sha256(text.encode()).hexdigest() == archive.text_sha256
            status = Evidence.LinkStatus.OK if same else Evidence.LinkStatus.CHANGED
        else:
            same = hashlib.sha256(fetched.data).hexdigest() == archive.sha256
            status = Evidence.LinkStatus.OK if same else Evidence.LinkStatus.CHANGED
    interval = datetime.timedelta(hours=settings.FACTCHECK_LINK_CHECK_HOURS)
    delay = min(interval * (2**failures), MAX_CHECK_BACKOFF) if failures else interval
    since = evidence.link_since if status == evidence.link_status else now
    Evidence.objects.filter(pk=evidence.pk).update(
        link_status=status,
        link_since=None if status == Evidence.LinkStatus.OK else since,
        link_checked_at=now,
        link_failures=failures,
        link_next_check_at=now + delay,
    )
    return status


def due_for_check(now: datetime.datetime | None = None):
    """Published sources with a link whose next check has come."""
    now = now or timezone.now()
    return (
        Evidence.objects.filter(
            kind=Evidence.Kind.URL,
            claim__in=Claim.objects.published(),
            archive__isnull=False,
        )
        .exclude(link_next_check_at__gt=now)
        .select_related("archive")
        .order_by("link_next_check_at", "id")
    )


def needs_attention():
    """The desk queue "Sources to look at": published sources whose page
    changed or is gone since it was archived, or whose archive failed."""
    return (
        Evidence.objects.filter(claim__in=Claim.objects.published())
        .filter(
            Q(link_status__in=[Evidence.LinkStatus.CHANGED, Evidence.LinkStatus.GONE])
            | Q(archive__status=Archive.Status.FAILED)
        )
        .select_related("claim", "claim__article", "archive")
        .order_by("link_since", "id")
    )
