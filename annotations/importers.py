"""Article import: the only way articles come in.

Plain text (the seed's shape: a title line, a short standfirst, captions,
then paragraphs), Markdown, and HTML (main text found by trafilatura) from
files, pasted text, fetched pages and the API all end in ``save``, which
validates and stores in one transaction. Anything wrong raises
``ImportRejected`` with a message for a person, and nothing is written.
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations import extraction, netguard
from annotations.anchoring import normalize_text
from annotations.models import Article, content_hash

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
IMPORTABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
STANDFIRST_MAX = 300
CAPTION_LINE_MAX = 200

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
CREDITS = (
    r"AP|AFP|Reuters|EPA|Getty Images|Getty|Bloomberg|Xinhua|TASS|RIA Novosti|"
    r"Associated Press|AP Photo[^.]*|Photo[^.]*|Credit[^.]*"
)
# A caption line ends with a date ("June 17th, 2013.") and/or a photo credit
# ("... 2013. AP", "(Reuters)"); or it is introduced as one ("Photo: ...").
CAPTION_LINE = re.compile(
    rf"""(
        (?:\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\.?)
        (?:\s*(?:{CREDITS})\.?)?$
      | [.,]\s*(?:{CREDITS})\.?$
      | \((?:{CREDITS})\)$
      | ^(?:Photo|Image|Caption|Credit)\s*:
    )""",
    re.VERBOSE,
)


class ImportRejected(Exception):
    """The input cannot become an article; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Parsed:
    title: str
    body: str
    standfirst: str = ""
    captions: list[str] = field(default_factory=list)
    byline: str = ""
    source_name: str = ""
    source_url: str = ""
    published_on: datetime.date | None = None
    language: str = "en"
    canonical_url: str = ""


@dataclass(frozen=True)
class Result:
    article: Article
    created: bool


# --- parsing -------------------------------------------------------------


def decode(data: bytes, *, name: str = "the file") -> str:
    """Bytes to text, refusing what is too large, empty, binary or not UTF-8."""
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRejected(f"{name} is {len(data):,} bytes; the limit is {limit:,} bytes.")
    if not data.strip():
        raise ImportRejected(f"{name} is empty.")
    if b"\x00" in data:
        raise ImportRejected(f"{name} looks like a binary file, not text (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            f"{name} is not valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
            f"({error.reason})."
        ) from None
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        raise ImportRejected(f"{name} looks like a binary file, not text (control characters).")
    return text


def is_caption(paragraph: str) -> bool:
    lines = paragraph.split("\n")
    return all(
        len(line) <= CAPTION_LINE_MAX and '"' not in line and CAPTION_LINE.search(line.strip())
        for line in lines
    )


def parse_text(text: str) -> Parsed:
    """Parse plain text or Markdown laid out like the seed article.

    The first line is the title; the next paragraph is the standfirst when it
    is short; caption and credit paragraphs are set apart; every other
    paragraph is body, kept as written.
    """
    text = normalize_text(text)
    if not text.strip():
        raise ImportRejected("The text is empty.")
    first, _, rest = text.partition("\n")
    title = first.strip().lstrip("#").strip()
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n+", rest) if p.strip()]
    captions: list[str] = []
    body: list[str] = []
    standfirst = ""
    for index, paragraph in enumerate(paragraphs):
        if is_caption(paragraph):
            captions.extend(paragraph.split("\n"))
        elif (
            index == 0
            and len(paragraph) <= STANDFIRST_MAX
            and "\n" not in paragraph
            and len(paragraphs) > 1
        ):
            standfirst = paragraph
        else:
            body.append(paragraph)
    # The story's own date, from a caption or a dateline, when nothing better exists.
    published_on = next((d for d in (extraction.date_in_text(c) for c in captions) if d), None) or (
        extraction.date_in_text(body[0][:120]) if body else None
    )
    return Parsed(
        title=title,
        standfirst=standfirst,
        captions=captions,
        body="\n\n".join(body),
        published_on=published_on,
    )


def parse_html(html: str, *, url: str = "") -> Parsed:
    """Extract the story text and metadata of an HTML page (``extraction``)."""
    page = extraction.extract(html, url=url)
    title = normalize_text(page.title).strip()
    if not page.paragraphs:
        raise ImportRejected("No article text could be extracted from this HTML.")
    if not title:
        raise ImportRejected("The HTML has no title and too little text to take one from.")
    return Parsed(
        title=title[:500],
        standfirst=normalize_text(page.standfirst)[:STANDFIRST_MAX],
        captions=page.captions,
        body="\n\n".join(page.paragraphs),
        byline=page.byline[:300],
        source_name=page.source_name[:200],
        source_url=url,
        canonical_url=page.canonical_url[:2000],
        published_on=page.published_on,
        language=(page.language or "en")[:16],
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def check_html_bounds(html: str) -> None:
    """Refuse HTML whose tree is too large to extract in bounded time: the
    number of ``<`` bounds the number of tags, and counting is linear."""
    limit = settings.FACTCHECK_HTML_MAX_TAGS
    if html.count("<") > limit:
        raise ImportRejected(f"The HTML has more than {limit:,} tags; this is too large to import.")


def parse(text: str, *, filename: str = "", url: str = "") -> Parsed:
    suffix = Path(filename).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        check_html_bounds(text)
        return parse_html(text, url=url)
    return parse_text(text)


# --- storing -------------------------------------------------------------


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_FIELDS = (
    "title",
    "standfirst",
    "captions",
    "body",
    "byline",
    "source_name",
    "source_url",
    "canonical_url",
)


def check_limits(article: Article) -> None:
    """The rules every door shares (importers, API, admin): no control
    characters in any text (the file importer's rule, now everyone's) and a
    body of at most FACTCHECK_ARTICLE_MAX_CHARS characters."""
    check_fields({name: getattr(article, name) for name in TEXT_FIELDS})


def check_fields(values: dict[str, str]) -> None:
    """``check_limits`` for field values given by name (forms)."""
    for name in TEXT_FIELDS:
        if CONTROL_CHARACTERS.search(values.get(name) or ""):
            raise ImportRejected(f"The {name.replace('_', ' ')} contains control characters.")
    body = values.get("body") or ""
    limit = settings.FACTCHECK_ARTICLE_MAX_CHARS
    if len(body) > limit:
        raise ImportRejected(f"The body is {len(body):,} characters long; the limit is {limit:,}.")


def save(parsed: Parsed, *, by=None) -> Result:
    """Validate ``parsed`` and store it, unless the same content is stored
    already (then the existing article comes back with ``created=False``)."""
    article = Article(
        title=normalize_text(parsed.title).strip(),
        standfirst=normalize_text(parsed.standfirst),
        captions="\n".join(c.strip() for c in parsed.captions if c.strip()),
        body=normalize_text(parsed.body),
        byline=parsed.byline.strip(),
        source_name=parsed.source_name.strip(),
        source_url=parsed.source_url.strip(),
        canonical_url=parsed.canonical_url.strip(),
        published_on=parsed.published_on,
        language=parsed.language or "en",
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if not article.title:
        raise ImportRejected("The article has no title.")
    if not article.body:
        raise ImportRejected("The article has no body text.")
    check_limits(article)
    article.content_hash = content_hash(article.title, article.body)
    try:
        article.full_clean(exclude=["content_hash", "created_by"])
    except ValidationError as error:
        messages = "; ".join(
            f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
        )
        raise ImportRejected(f"The article is not valid: {messages}") from None
    existing = Article.objects.filter(content_hash=article.content_hash).first()
    if existing:
        return Result(existing, created=False)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Someone imported the same content a moment ago.
        return Result(Article.objects.get(content_hash=article.content_hash), created=False)
    return Result(article, created=True)


def import_text(text: str, *, by=None, filename: str = "", source_url: str = "") -> Result:
    """Import pasted or uploaded text (plain, Markdown or HTML)."""
    parsed = parse(text, filename=filename, url=source_url)
    if source_url and not parsed.source_url:
        parsed.source_url = source_url
    return save(parsed, by=by)


def import_bytes(data: bytes, *, filename: str, by=None, source_url: str = "") -> Result:
    """Import an uploaded file's content."""
    suffix = Path(filename).suffix.lower()
    if suffix and suffix not in IMPORTABLE_SUFFIXES:
        raise ImportRejected(
            f"{filename}: unsupported file type {suffix!r}; "
            f"use {', '.join(sorted(IMPORTABLE_SUFFIXES))}."
        )
    text = decode(data, name=filename or "the file")
    return import_text(text, by=by, filename=filename, source_url=source_url)


def import_path(path: Path, *, by=None) -> Result:
    """Import one file from disk (the management command's unit of work)."""
    size = path.stat().st_size
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRejected(f"{path.name} is {size:,} bytes; the limit is {limit:,} bytes.")
    return import_bytes(path.read_bytes(), filename=path.name, by=by)


def import_fields(*, by=None, **fields) -> Result:
    """Import an article given field by field (the API's create)."""
    known = set(Parsed.__dataclass_fields__)
    unknown = set(fields) - known
    if unknown:
        raise ImportRejected(f"Unknown fields: {', '.join(sorted(unknown))}.")
    captions = fields.pop("captions", []) or []
    if isinstance(captions, str):
        captions = captions.splitlines()
    return save(
        Parsed(captions=captions, **{k: v for k, v in fields.items() if v is not None}), by=by
    )


# --- fetching ------------------------------------------------------------


NOT_ALLOWED = "This address is not allowed."


def check_url(url: str) -> tuple[str, str, int]:
    """What can be refused about a URL without the network: its scheme, host
    and port, and a host written as an address that is not public. Returns
    (scheme, host, port). The import form calls it before queueing a fetch,
    so a bad URL is refused at once; ``fetch`` calls it on every hop."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ImportRejected("The URL's port is not valid.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportRejected("Only http and https URLs can be imported.")
    literal = netguard.parse(parts.hostname)
    if (
        literal is not None
        and not settings.FACTCHECK_FETCH_ALLOW_PRIVATE
        and not netguard.is_public(literal)
    ):
        log.warning("URL import refused: %s is not a public address", parts.hostname)
        raise ImportRejected(NOT_ALLOWED)
    return parts.scheme, parts.hostname, port


def _check_address(host: str, port: int) -> str:
    """Resolve ``host`` and return an address that is safe to connect to.

    Every address the name resolves to must be public (``netguard``) unless
    FACTCHECK_FETCH_ALLOW_PRIVATE is on; connecting to the checked address
    (not the name again) keeps DNS rebinding out. The editor is told only
    that the address is not allowed: what an internal name resolves to is
    for the log.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise ImportRejected("The host name could not be resolved.") from None
    addresses = [info[4][0] for info in infos]
    if not settings.FACTCHECK_FETCH_ALLOW_PRIVATE:
        for address in addresses:
            ip = netguard.parse(address)
            if ip is None or not netguard.is_public(ip):
                log.warning("URL import refused: %s resolves to %s", host, address)
                raise ImportRejected(NOT_ALLOWED)
    return addresses[0]


class _Deadline:
    """One wall-clock deadline for a whole fetch (every redirect, the
    connection, the headers and the body): a watchdog shuts the socket down
    when it passes, so a server dripping a byte a second cannot hold the
    worker beyond it, whatever the per-read timeouts."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.seconds = seconds
        self.expired = False
        self._socket: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            self.expired = True
            raise ImportRejected(self.message())
        return left

    def watch(self, sock: socket.socket) -> None:
        self._socket = sock
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        self.expired = True
        if self._socket is not None:
            # The plain socket's shutdown, also for TLS: it wakes a blocked
            # read at once and leaves the TLS object to fail cleanly.
            with contextlib.suppress(OSError, ValueError):
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()

    def message(self) -> str:
        return f"The page took longer than {self.seconds:g} seconds to fetch."


def _connection(
    scheme: str, address: str, host: str, port: int, deadline: _Deadline
) -> http.client.HTTPConnection:
    """A connection to the checked ``address`` that names ``host`` in the
    Host header and, for https, in SNI and certificate checks; its socket is
    handed to the deadline's watchdog."""
    timeout = deadline.remaining()
    if scheme == "https":
        context = ssl.create_default_context()

        class Pinned(http.client.HTTPSConnection):
            def connect(self) -> None:
                raw = socket.create_connection((address, port), self.timeout)
                deadline.watch(raw)
                self.sock = context.wrap_socket(raw, server_hostname=host)
                deadline.watch(self.sock)

        return Pinned(host, port, timeout=timeout, context=context)

    class PinnedPlain(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = socket.create_connection((address, port), self.timeout)
            deadline.watch(self.sock)

    return PinnedPlain(host, port, timeout=timeout)


def fetch(url: str, *, max_redirects: int = 5) -> tuple[bytes, str]:
    """GET an http(s) URL within one deadline (FACTCHECK_FETCH_TIMEOUT for
    everything) and a size limit; returns the body and the final URL."""
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    deadline = _Deadline(settings.FACTCHECK_FETCH_TIMEOUT)
    try:
        for _ in range(max_redirects + 1):
            scheme, host, port = check_url(url)
            parts = urlsplit(url)
            address = _check_address(host, port)
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            connection = _connection(scheme, address, host, port, deadline)
            try:
                connection.request(
                    "GET",
                    target,
                    headers={
                        "User-Agent": "factcheck-importer/1.0",
                        "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1",
                    },
                )
                response = connection.getresponse()
                location = response.getheader("Location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                if response.status != 200:
                    raise ImportRejected(f"Fetching the page answered HTTP {response.status}.")
                declared = response.getheader("Content-Length") or ""
                if declared.isdigit() and int(declared) > limit:
                    raise ImportRejected(
                        f"The page is {int(declared):,} bytes; the limit is {limit:,}."
                    )
                chunks, total = [], 0
                while chunk := response.read1(64 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise ImportRejected(
                            f"The page is larger than the limit of {limit:,} bytes."
                        )
                    chunks.append(chunk)
                if deadline.expired:
                    raise ImportRejected(deadline.message())
                return b"".join(chunks), url
            except (OSError, ValueError, http.client.HTTPException) as error:
                if deadline.expired:
                    raise ImportRejected(deadline.message()) from None
                log.info("URL import of %s failed: %r", url, error)
                raise ImportRejected(
                    f"Could not fetch the page ({error.__class__.__name__})."
                ) from None
            finally:
                connection.close()
        raise ImportRejected("Too many redirects.")
    finally:
        deadline.cancel()


def import_url(url: str, *, by=None) -> Result:
    """Fetch an HTML (or plain-text) page and import it."""
    data, final_url = fetch(url.strip())
    text = decode(data, name="The page")
    return import_text(
        text,
        by=by,
        filename="page.html" if looks_like_html(text) else "page.txt",
        source_url=final_url,
    )
