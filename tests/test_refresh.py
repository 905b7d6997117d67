"""Check for updates: the source page is fetched again (from a local server
standing in for the publisher) and a changed text becomes a revision."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations import importers, workflow
from annotations.models import Article

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html lang="en"><head><title>Tram line approved | City News</title>
<meta property="og:site_name" content="City News"></head><body><article>
<h1>Tram line approved</h1>
<p>The council approved the tram line on Tuesday after a long debate about its cost.</p>
<p>{second}</p>
</article></body></html>"""


@pytest.fixture
def publisher(settings):
    """A page whose text the test can change, served on loopback."""
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    state = {"second": "Opponents said the plan would cost 40 million euros."}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = PAGE.format(**state).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/tram"
    yield state
    server.shutdown()
    server.server_close()


def test_check_for_updates_makes_a_revision_and_reanchors(client, editor, publisher):
    article = importers.import_url(publisher["url"], by=editor).article
    claim = workflow.mark(article, by=editor, quote="would cost 40 million euros")
    publisher["second"] = "Opponents said the plan would cost 45 million euros."
    client.force_login(editor)
    response = client.post(reverse("annotations:article_check", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    claim.refresh_from_db()
    assert article.revision == 2
    assert claim.quote == "would cost 45 million euros"
    assert "quote changed from" in claim.events.last().comment


def test_check_for_updates_without_change_is_no_revision(client, editor, publisher):
    article = importers.import_url(publisher["url"], by=editor).article
    client.force_login(editor)
    client.post(reverse("annotations:article_check", args=[article.pk]))
    article.refresh_from_db()
    assert article.revision == 1


def test_refresh_articles_command(editor, publisher, capsys):
    article = importers.import_url(publisher["url"], by=editor).article
    publisher["second"] = "Supporters said it would halve journey times."
    call_command("refresh_articles", str(article.pk))
    out = capsys.readouterr().out
    assert f"revised   article {article.pk} -> revision 2" in out
    assert "1 revised, 0 unchanged, 0 failed" in out
    call_command("refresh_articles", "--all")
    assert "0 revised, 1 unchanged, 0 failed" in capsys.readouterr().out


def test_refresh_articles_reports_failures_and_exits_non_zero(editor, publisher, settings):
    article = importers.import_url(publisher["url"], by=editor).article
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(CommandError):
        call_command("refresh_articles", "--all")
    assert Article.objects.get(pk=article.pk).revision == 1


def test_refresh_articles_needs_ids_or_all():
    with pytest.raises(CommandError):
        call_command("refresh_articles")
