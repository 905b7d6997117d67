from __future__ import annotations

import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations import workflow
from annotations.models import Article, Claim
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("annotations:article_list")
IMPORT = reverse("annotations:article_import")
HTMX = {"HTTP_HX_REQUEST": "true"}


class BodyText(HTMLParser):
    """The text content of #article-body, as the browser's DOM has it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif ("id", "article-body") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def body_text(html: str) -> str:
    parser = BodyText()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- the list --------------------------------------------------------------


def test_list_renders_the_full_page_with_search_and_import_form(editor_client, article):
    response = editor_client.get(LIST)
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="article-results"' in response.text
    assert 'id="import-form"' in response.text
    assert article.title in response.text


def test_htmx_search_returns_only_the_results_partial(editor_client, article):
    response = editor_client.get(LIST, {"q": "number"}, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="article-results"')
    assert "<html" not in response.text
    assert article.title in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Zebra crossings return"),
        ("standfirst", "An unusual standfirst about zebras"),
        ("body", "Zebras were seen in the city centre."),
        ("source_name", "Zebra Gazette"),
    ],
)
def test_search_looks_in_title_standfirst_body_and_source(editor_client, field, value):
    hit = factories.ArticleFactory(**{field: value})
    miss = factories.ArticleFactory()
    response = editor_client.get(LIST, {"q": "zebra"}, **HTMX)
    assert hit.title in response.text
    assert miss.title not in response.text
    assert "1 article" in response.text


def test_articles_sort_by_title_and_by_claims(editor_client, editor):
    b = factories.ArticleFactory(title="Beta")
    a = factories.ArticleFactory(title="Alpha")
    c = factories.ArticleFactory(title="Gamma")
    workflow.mark(c, by=editor, quote="unemployment fell by 3 percent last year")
    by_title = editor_client.get(LIST, {"sort": "title"}).text
    assert by_title.index(a.title) < by_title.index(b.title) < by_title.index(c.title)
    by_claims = editor_client.get(LIST, {"sort": "claims"}).text
    assert by_claims.index(c.title) < by_claims.index(a.title)


def test_unknown_sort_falls_back_to_newest_first(editor_client):
    old = factories.ArticleFactory(title="Old one")
    new = factories.ArticleFactory(title="New one")
    page = editor_client.get(LIST, {"sort": "nonsense"}).text
    assert page.index(new.title) < page.index(old.title)


def test_list_is_paginated_and_links_keep_the_query(editor_client):
    factories.ArticleFactory.create_batch(
        25, title=factories.factory.Sequence(lambda n: f"Item {n}")
    )
    first = editor_client.get(LIST, {"q": "Item"})
    assert "Page 1 of 2" in first.text
    assert "?q=Item&amp;page=2" in first.text
    second = editor_client.get(LIST, {"q": "Item", "page": 2}, **HTMX)
    assert "Page 2 of 2" in second.text
    assert second.text.count("<tr>") == 1 + 5


def test_list_shows_claim_counts_per_status(editor_client, editor, reviewer):
    article = factories.ArticleFactory()
    workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    workflow.mark(article, by=editor, quote="Critics said the figures were incomplete")
    claim = workflow.mark(article, by=editor, quote="We have never been stronger")
    from tests.conftest import ready_for_review

    claim = ready_for_review(claim, by=editor)
    workflow.submit(claim, by=editor, version=claim.version)
    page = editor_client.get(LIST).text
    assert "2 draft" in page
    assert "1 in review" in page


def test_list_runs_a_constant_number_of_queries(
    editor_client, editor, django_assert_max_num_queries
):
    for article in factories.ArticleFactory.create_batch(15):
        workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    with django_assert_max_num_queries(6):
        editor_client.get(LIST)


def test_list_requires_login_and_a_role(client, outsider):
    assert client.get(LIST).status_code == 302
    client.force_login(outsider)
    assert client.get(LIST).status_code == 403


# --- import ----------------------------------------------------------------

ARTICLE_TEXT = (
    "A new bridge opens\n\nThe city opened its new bridge.\n\n"
    "The mayor said the bridge cost 12 million.\n\nTraffic was light."
)


def test_pasted_text_is_imported_and_opens_in_the_reader(editor_client, editor):
    response = editor_client.post(IMPORT, {"text": ARTICLE_TEXT})
    article = Article.objects.get(title="A new bridge opens")
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    assert article.created_by == editor
    assert "The mayor said the bridge cost 12 million." in article.body


def test_htmx_import_redirects_the_browser_to_the_article(editor_client):
    response = editor_client.post(IMPORT, {"text": ARTICLE_TEXT}, **HTMX)
    article = Article.objects.get(title="A new bridge opens")
    assert response.status_code == 200
    assert response["HX-Redirect"] == article.get_absolute_url()


def test_importing_the_same_text_again_opens_the_existing_article(editor_client):
    editor_client.post(IMPORT, {"text": ARTICLE_TEXT})
    response = editor_client.post(IMPORT, {"text": ARTICLE_TEXT}, follow=True)
    assert Article.objects.count() == 1
    assert "was imported before" in response.text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("story.txt", ARTICLE_TEXT.encode(), "Traffic was light."),
        (
            "story.md",
            b"# Markdown title\n\nStand first.\n\nBody of the markdown story.",
            "markdown",
        ),
        (
            "page.html",
            b"<html><head><title>HTML title</title></head><body><article>"
            b"<h1>HTML title</h1><p>First paragraph of a page that is long enough to count as "
            b"the main text of an article, with several words in it.</p><p>Second paragraph "
            b"of the same page, also with enough words to be kept by the extractor.</p>"
            b"</article></body></html>",
            "Second paragraph",
        ),
    ],
)
def test_uploaded_files_are_imported(editor_client, name, content, expected):
    response = editor_client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    assert expected in Article.objects.get().body


def test_an_unsupported_file_is_refused_with_a_message_and_nothing_is_written(editor_client):
    response = editor_client.post(
        IMPORT, {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n")}, **HTMX
    )
    assert response.status_code == 422
    assert "unsupported file type" in response.text
    assert response.text.lstrip().startswith('<form id="import-form"')
    assert Article.objects.count() == 0


def test_a_binary_file_with_a_text_suffix_is_refused(editor_client):
    response = editor_client.post(IMPORT, {"file": SimpleUploadedFile("a.txt", b"ab\x00cd")})
    assert response.status_code == 422
    assert "binary" in response.text
    assert "<html" in response.text  # the full page, with the form open
    assert Article.objects.count() == 0


def test_an_empty_import_form_asks_for_input(editor_client):
    response = editor_client.post(IMPORT, {}, **HTMX)
    assert response.status_code == 422
    assert "Paste some text, choose a file or give a URL." in response.text


def test_giving_two_sources_at_once_is_refused(editor_client):
    response = editor_client.post(
        IMPORT, {"text": ARTICLE_TEXT, "url": "https://example.org/a"}, **HTMX
    )
    assert response.status_code == 422
    assert "Give only one" in response.text
    assert Article.objects.count() == 0


def test_text_without_a_body_is_refused(editor_client):
    response = editor_client.post(IMPORT, {"text": "Only a title"}, **HTMX)
    assert response.status_code == 422
    assert "no body text" in response.text
    assert Article.objects.count() == 0


def test_a_non_http_url_is_refused(editor_client):
    response = editor_client.post(IMPORT, {"url": "ftp://example.org/a.html"}, **HTMX)
    assert response.status_code == 422
    assert Article.objects.count() == 0


PAGE = (
    b"<!doctype html><html><head><title>Fetched story</title></head><body><article>"
    b"<h1>Fetched story</h1><p>The council approved the budget on Tuesday after a long debate "
    b"about the costs of the new tram line.</p><p>Opponents said the plan was far too expensive "
    b"for a city of its size and would raise taxes.</p></article></body></html>"
)


@pytest.fixture
def local_page():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/missing":
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _queued_import(editor_client, url: str):
    response = editor_client.post(IMPORT, {"url": url})
    assert response.status_code == 302
    assert response.url.startswith("/articles/import/")
    return response.url


def test_a_url_is_queued_and_imported_by_the_worker(editor_client, settings, local_page, run_tasks):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    status_url = _queued_import(editor_client, f"{local_page}/story")
    # The form answered before anything was fetched.
    assert Article.objects.count() == 0
    assert "Fetching the page" in editor_client.get(status_url).text
    assert run_tasks() == 1
    article = Article.objects.get()
    response = editor_client.get(status_url)
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    assert article.title == "Fetched story"
    assert "Opponents said the plan was far too expensive" in article.body
    assert article.source_url == f"{local_page}/story"


def test_htmx_url_import_redirects_the_browser_to_the_waiting_page(editor_client, settings):
    response = editor_client.post(IMPORT, {"url": "https://example.org/a"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/articles/import/")
    assert Article.objects.count() == 0


def test_a_url_answering_404_is_reported(editor_client, settings, local_page, run_tasks):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    status_url = _queued_import(editor_client, f"{local_page}/missing")
    run_tasks()
    response = editor_client.get(status_url)
    assert response.status_code == 200
    assert "Import failed" in response.text
    assert "HTTP 404" in response.text
    assert "Try again" in response.text
    assert Article.objects.count() == 0


def test_a_loopback_url_is_refused_at_once_by_default(editor_client, settings, local_page):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    response = editor_client.post(IMPORT, {"url": f"{local_page}/story"}, **HTMX)
    # An address written in the URL needs no fetch to be refused: nothing is queued.
    assert response.status_code == 422
    assert "This address is not allowed." in response.text
    assert "resolves to" not in response.text
    assert Article.objects.count() == 0


def test_import_status_of_an_unknown_task_is_404(editor_client):
    response = editor_client.get("/articles/import/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_import_needs_post_and_a_role(client, outsider):
    client.force_login(outsider)
    assert client.post(IMPORT, {"text": ARTICLE_TEXT}).status_code == 403
    assert Article.objects.count() == 0


def test_import_refuses_get(editor_client):
    assert editor_client.get(IMPORT).status_code == 405


# --- the reader --------------------------------------------------------------


def test_reader_body_text_equals_the_article_body_with_overlapping_claims(
    editor_client, editor, seed_article
):
    body = seed_article.body
    quote = "moderate cleric was elected president there"
    start = body.index(quote)
    workflow.mark(seed_article, by=editor, start=start, end=start + len(quote), quote=quote)
    workflow.mark(seed_article, by=editor, start=start - 20, end=start + 8)
    workflow.mark(seed_article, by=editor, start=start + 9, end=start + 15)
    paragraph_spanning = body.index("Obama also said")
    workflow.mark(
        seed_article, by=editor, start=paragraph_spanning - 40, end=paragraph_spanning + 20
    )
    response = editor_client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    assert body_text(response.text) == body
    assert response.text.count('<mark class="claim') >= 6
    assert "June 17, 2013. AP" in response.text  # captions
    assert seed_article.standfirst in response.text


def test_reader_renders_unicode_text_exactly(editor_client, editor):
    body = "Emoji 😀 first, then e\u0301te\u0301 and 東京タワー.\n\nSecond 👍🏽 paragraph."
    article = factories.ArticleFactory(body=body)
    article.refresh_from_db()
    workflow.mark(article, by=editor, start=8, end=20)
    assert body_text(editor_client.get(article.get_absolute_url()).text) == article.body


def test_reader_marks_carry_a_status_class_and_the_list_a_label(editor_client, draft):
    page = editor_client.get(draft.article.get_absolute_url()).text
    assert 'class="claim status-draft claim-end end-draft"' in page
    assert '<span class="status-badge status-draft">Draft</span>' in page
    assert f'data-claims="{draft.pk}"' in page


def test_reader_htmx_refresh_returns_the_reader_partial(editor_client, draft):
    response = editor_client.get(draft.article.get_absolute_url(), **HTMX)
    assert response.text.lstrip().startswith('<div id="reader"')
    assert "<html" not in response.text
    assert 'id="claim-panel"' not in response.text


def test_reader_preselects_the_claim_given_in_the_query(editor_client, draft):
    response = editor_client.get(draft.article.get_absolute_url(), {"claim": draft.pk})
    assert f'data-claim-id="{draft.pk}"' in response.text
    assert 'id="claim-panel"' in response.text
    assert "The minister" in response.text


def test_reader_refuses_a_claim_of_another_article(editor_client, draft):
    other = factories.ArticleFactory()
    response = editor_client.get(other.get_absolute_url(), {"claim": draft.pk})
    assert response.status_code == 404


def test_reader_of_a_missing_article_is_404(editor_client):
    assert (
        editor_client.get(reverse("annotations:article_detail", args=[999999])).status_code == 404
    )


def test_reader_with_a_thousand_claims_runs_a_constant_number_of_queries(
    editor_client, editor, django_assert_max_num_queries
):
    words = [f"word{i}" for i in range(3000)]
    article = factories.ArticleFactory(
        body="\n\n".join(" ".join(words[i : i + 50]) for i in range(0, 3000, 50))
    )
    body = article.body
    claims = []
    for i in range(1000):
        start = (i * 17) % (len(body) - 200)
        while body[start].isspace():
            start += 1
        end = start + 5 + (i % 150)
        while body[end - 1].isspace():
            end -= 1
        claims.append(
            Claim(article=article, start=start, end=end, quote=body[start:end], created_by=editor)
        )
    Claim.objects.bulk_create(claims)
    with django_assert_max_num_queries(8):
        response = editor_client.get(article.get_absolute_url())
    assert response.text.count("data-claim-id=") == 1000
    assert body_text(response.text) == body
