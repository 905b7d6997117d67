"""For crawlers and feed readers: the sitemap, RSS and Atom feeds of
fact-checks and of corrections, and robots.txt, each parsed as XML or text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from annotations import workflow
from tests import factories
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def xml(url: str, content_type: str) -> ET.Element:
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    return ET.fromstring(response.content)


@pytest.fixture
def site(editor, other_editor, reviewer, other_reviewer):
    """A published, a corrected and a retracted fact-check, and a draft."""
    article = factories.ArticleFactory()
    published = published_claim(
        workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year"),
        editor=editor,
        reviewer=reviewer,
    )
    corrected = published_claim(
        workflow.mark(article, by=editor, quote="We have never been stronger", claimant="Leader"),
        editor=editor,
        reviewer=reviewer,
    )
    copy = workflow.start_correction(corrected, by=other_editor, comment="Wrong year.")
    copy = workflow.update(copy, by=other_editor, version=copy.version, headline="Never stronger")
    corrected = workflow.approve(workflow.submit(copy, by=other_editor), by=other_reviewer)
    retracted = published_claim(
        workflow.mark(factories.ArticleFactory(), by=editor, quote="Critics said"),
        editor=editor,
        reviewer=reviewer,
    )
    retracted = workflow.retract(retracted, by=reviewer, comment="Misattributed.")
    draft = workflow.mark(article, by=editor, quote="the minister told reporters")
    return {"published": published, "corrected": corrected, "retracted": retracted, "draft": draft}


def test_the_sitemap_lists_fact_checks_claimants_articles_and_pages_with_lastmod(site):
    root = xml("/sitemap.xml", "application/xml")
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    base = "http://testserver"
    for name in ("published", "corrected", "retracted"):
        claim = site[name]
        assert entries[f"{base}/factchecks/{claim.pk}/"] == claim.updated_at.date().isoformat()
    assert f"{base}/factchecks/{site['draft'].pk}/" not in entries
    assert entries[f"{base}/factchecks/claimants/leader/"]
    # The retracted claim's article has nothing published: no public view.
    assert f"{base}/factchecks/articles/{site['published'].article_id}/" in entries
    assert f"{base}/factchecks/articles/{site['retracted'].article_id}/" not in entries
    for path in ("/factchecks/", "/ratings/", "/methodology/", "/corrections-policy/", "/about/"):
        assert f"{base}{path}" in entries, path


def test_the_rss_feed_has_the_published_fact_checks(site):
    channel = xml("/factchecks/feed/rss/", "application/rss+xml").find("channel")
    items = channel.findall("item")
    links = [item.findtext("link") for item in items]
    assert links == [
        f"http://testserver/factchecks/{site['corrected'].pk}/",
        f"http://testserver/factchecks/{site['published'].pk}/",
    ]
    assert items[0].findtext("title") == "Mostly false: Never stronger"
    assert items[0].findtext("description") == "It fell by 2.1%."
    assert items[0].findtext("category") == "Mostly false"
    assert items[0].findtext("pubDate")


def test_the_atom_feed_has_the_same_entries(site):
    root = xml("/factchecks/feed/atom/", "application/atom+xml")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        f"http://testserver/factchecks/{site['corrected'].pk}/",
        f"http://testserver/factchecks/{site['published'].pk}/",
    ]
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


def test_the_corrections_feeds_have_corrections_and_retractions(site):
    channel = xml("/factchecks/corrections/feed/rss/", "application/rss+xml").find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"Correction: Never stronger", "Retracted: Critics said"}
    assert items["Correction: Never stronger"].findtext("description") == "Wrong year."
    assert items["Retracted: Critics said"].findtext("description") == "Misattributed."
    guids = [item.findtext("guid") for item in items.values()]
    assert len(set(guids)) == 2
    atom = xml("/factchecks/corrections/feed/atom/", "application/atom+xml")
    assert len(atom.findall(f"{ATOM}entry")) == 2


def test_robots_txt_keeps_crawlers_to_the_public_site_and_names_the_sitemap():
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/api/", "/articles/", "/dashboard/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /factchecks/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
