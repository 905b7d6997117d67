from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD, SEED_TITLE

pytestmark = pytest.mark.django_db


def test_demo_users_log_in_and_see_the_seed_article(client, demo_users, seed_article):
    for username in ("editor", "reviewer"):
        response = client.post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200
        assert response.context["user"].username == username
        assert SEED_TITLE.replace("'", "&#x27;") in response.text
        page = client.get(seed_article.get_absolute_url())
        assert "moderate cleric was elected president there" in page.text
        assert "June 17, 2013. AP" in page.text
        client.post(reverse("logout"))


def test_demo_users_have_their_roles(demo_users):
    editor, reviewer = demo_users
    assert list(editor.groups.values_list("name", flat=True)) == ["editor"]
    assert list(reviewer.groups.values_list("name", flat=True)) == ["reviewer"]


def test_anonymous_visitors_are_sent_to_login(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_accounts_without_a_role_are_refused(client, outsider, seed_article):
    client.force_login(outsider)
    assert client.get(seed_article.get_absolute_url()).status_code == 403


def test_article_text_is_escaped(client, editor):
    from annotations import importers

    article = importers.import_text(
        "<b>Bold</b> title\n\nStand.\n\n<script>alert(1)</script> body"
    ).article
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
