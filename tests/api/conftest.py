"""Fixtures for the API tests: clients per kind of caller, and throttling
that stays out of the way (DRF keeps its request history in the default
cache, so it is cleared around every test)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from annotations import workflow
from annotations.models import Article, Claim
from tests import factories
from tests.conftest import published_claim, ready_for_review

ANNO_ACCEPT = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
QUOTES = (
    "unemployment fell by 3 percent last year",
    "We have never been stronger",
    "Critics said the figures were incomplete",
)


@pytest.fixture(autouse=True)
def quiet_throttling(monkeypatch):
    # The rates are read once into the throttle class; raise them in place.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "100000/min")
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def consumer(outsider) -> APIClient:
    """An account with a token but no role: sees what the public sees."""
    return token_client(outsider)


@pytest.fixture
def editor_api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def reviewer_api(reviewer) -> APIClient:
    return token_client(reviewer)


def publish(
    article: Article, *, editor, reviewer, quote: str = QUOTES[0], rating: str = "mostly-false"
) -> Claim:
    """A claim marked, given a verdict and evidence, submitted and approved."""
    claim = workflow.mark(article, by=editor, quote=quote, claimant="The minister")
    claim = ready_for_review(claim, by=editor)
    if rating != "mostly-false":
        claim = workflow.update(
            claim, by=editor, version=claim.version, rating=factories.rating(rating)
        )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    return workflow.approve(claim, by=reviewer, version=claim.version)


__all__ = ["published_claim", "ready_for_review"]
