"""Work bounded by size and time: the article size limit at every door, the
request body and URL limits in the API's shape, HTML refused above a tag
count, one wall-clock deadline for a URL fetch, and quote anchoring that
stays linear (figures: benchmarks/anchoring.py)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations import anchoring, importers
from annotations.models import Article
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT = reverse("annotations:article_import")
HTMX = {"HTTP_HX_REQUEST": "true"}
LIMIT = 2_000
OVER = "Title\n\n" + ("Word " * 600).strip()  # 3,000 characters of body


@pytest.fixture
def small_articles(settings):
    settings.FACTCHECK_ARTICLE_MAX_CHARS = LIMIT


@pytest.fixture
def page_server():
    """A local server whose pages the tests choose: {path: (delay, bytes)}."""
    pages: dict[str, tuple[float, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            drip, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if drip:
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(drip)
                else:
                    self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


# --- the article size limit, at every door ------------------------------------


def test_the_api_refuses_an_article_over_the_limit(
    small_articles, editor_api, assert_error, row_counts
):
    before = row_counts()
    title, _, body = OVER.partition("\n\n")
    response = editor_api.post("/api/v1/articles/", {"title": title, "body": body}, format="json")
    error = assert_error(response, 400)
    assert "limit is 2,000" in error["message"]
    assert row_counts() == before


def test_the_paste_and_file_imports_refuse_an_article_over_the_limit(
    small_articles, client, editor, row_counts
):
    client.force_login(editor)
    before = row_counts()
    pasted = client.post(IMPORT, {"text": OVER}, **HTMX)
    upload = SimpleUploadedFile("big.txt", OVER.encode(), content_type="text/plain")
    uploaded = client.post(IMPORT, {"file": upload}, **HTMX)
    for response in (pasted, uploaded):
        assert response.status_code == 422
        assert "the limit is 2,000" in response.text
    assert row_counts() == before


def test_the_command_and_url_imports_refuse_an_article_over_the_limit(
    small_articles, settings, tmp_path, page_server
):
    path = tmp_path / "big.txt"
    path.write_text(OVER)
    with pytest.raises(importers.ImportRejected, match="the limit is 2,000"):
        importers.import_path(path)
    base, pages = page_server
    pages["/big"] = (0, OVER.encode())
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    with pytest.raises(importers.ImportRejected, match="the limit is 2,000"):
        importers.import_url(f"{base}/big")
    assert not Article.objects.exists()


def test_an_article_at_the_limit_is_accepted(small_articles):
    body = ("word " * 400).strip()[:LIMIT]
    assert importers.import_text("Title\n\n" + body).created


# --- request bounds ------------------------------------------------------------


def test_a_body_over_the_request_limit_is_413_in_the_json_shape(
    editor_api, assert_error, row_counts
):
    before = row_counts()
    payload = json.dumps({"title": "Big", "body": "x" * (10 * 1024 * 1024)})
    response = editor_api.post("/api/v1/articles/", payload, content_type="application/json")
    assert_error(response, 413, "too_large")
    assert row_counts() == before


def test_an_over_long_url_is_414_in_the_json_shape(anon, assert_error):
    response = anon.get("/api/v1/claims/?q=" + "a" * 5000)
    assert_error(response, 414, "uri_too_long")


def test_an_over_long_url_outside_the_api_is_414_too(client):
    response = client.get("/factchecks/1/?x=" + "a" * 5000)
    assert response.status_code == 414


# --- HTML and fetches --------------------------------------------------------------


def test_html_with_too_many_tags_is_refused_before_extraction(settings, monkeypatch):
    settings.FACTCHECK_HTML_MAX_TAGS = 1_000
    called = []
    monkeypatch.setattr(importers, "parse_html", lambda *a, **k: called.append(1))
    html = "<html><body>" + "<p>x</p>" * 600 + "</body></html>"
    with pytest.raises(importers.ImportRejected, match="more than 1,000 tags"):
        importers.import_bytes(html.encode(), filename="tags.html")
    assert not called
    assert not Article.objects.exists()


def test_a_fetch_has_one_deadline_however_slowly_the_server_drips(settings, page_server):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    base, pages = page_server
    # Each byte arrives well within any per-read timeout; the whole never would.
    pages["/drip"] = (0.05, b"Title\n\n" + b"x" * 400)
    started = time.monotonic()
    with pytest.raises(importers.ImportRejected, match="longer than 1 seconds"):
        importers.fetch(f"{base}/drip")
    assert time.monotonic() - started < 3


def test_a_page_over_the_byte_limit_is_refused_while_reading(settings, page_server):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_IMPORT_MAX_BYTES = 1_000
    base, pages = page_server
    pages["/large"] = (0, b"x" * 5_000)
    with pytest.raises(importers.ImportRejected, match="limit"):
        importers.fetch(f"{base}/large")


# --- anchoring -----------------------------------------------------------------------


def test_anchoring_agrees_with_the_plain_definition():
    """find_quote finds the place where prefix + quote + suffix occurs, the
    same answer as testing every occurrence of the quote."""
    body = "abab aba baba ab abab"
    for quote in ("ab", "aba", "b a", "abab"):
        for prefix in ("", "a", " ", "ab"):
            for suffix in ("", "a", " ", "b"):
                expected = [
                    i
                    for i in range(len(body))
                    if body.startswith(quote, i)
                    and body[:i].endswith(prefix)
                    and body[i + len(quote) :].startswith(suffix)
                ]
                try:
                    found = [anchoring.find_quote(body, quote, prefix, suffix).start]
                except ValidationError as error:
                    assert error.code == ("absent" if not expected else "ambiguous")
                    continue
                assert found == expected


def test_a_short_quote_in_a_huge_body_is_counted_only_so_far():
    body = "a " * 1_200_000  # 2.4 MB
    with pytest.raises(ValidationError) as error:
        anchoring.find_quote(body, "a")
    assert "more than 10 times" in error.value.message


def test_the_admin_refuses_an_article_over_the_limit_or_with_control_characters(
    small_articles, client, row_counts
):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    before = row_counts()
    form = {"title": "T", "body": OVER, "language": "en"}
    response = client.post("/admin/annotations/article/add/", form)
    assert response.status_code == 200
    assert "the limit is 2,000" in response.text
    response = client.post("/admin/annotations/article/add/", {**form, "body": "Bell \x07"})
    assert "control characters" in response.text
    assert row_counts() == before
