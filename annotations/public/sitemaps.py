"""The sitemap (Django's sitemaps framework): fact-check pages, including
retracted ones (whose pages stay, so crawlers come back and drop their
ClaimReview), claimant pages, public article views and the fixed pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from annotations.models import Article, Claim, PublicPage
from annotations.public import queries


class FactcheckSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Claim.objects.public().order_by("-published_at", "-id").only("pk", "updated_at")

    def location(self, claim: Claim) -> str:
        return claim.get_public_url()

    def lastmod(self, claim: Claim):
        return claim.updated_at


class ClaimantSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[queries.Claimant]:
        return queries.claimants()

    def location(self, claimant: queries.Claimant) -> str:
        return reverse("annotations:claimant_detail", args=[claimant.slug])

    def lastmod(self, claimant: queries.Claimant):
        return claimant.last_published


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Article.objects.filter(claims__status=Claim.Status.PUBLISHED)
            .annotate(last=Max("claims__updated_at"))
            .order_by("pk")
            .only("pk")
        )

    def location(self, article: Article) -> str:
        return reverse("annotations:article_public", args=[article.pk])

    def lastmod(self, article: Article):
        return article.last


class FixedPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["factcheck_list", "claimant_list", "rating_scale", *PublicPage.Slug.values]

    def location(self, name: str) -> str:
        if name in PublicPage.Slug.values:
            return reverse("annotations:public_page", args=[name])
        return reverse(f"annotations:{name}")


SITEMAPS = {
    "factchecks": FactcheckSitemap,
    "claimants": ClaimantSitemap,
    "articles": ArticleSitemap,
    "pages": FixedPagesSitemap,
}
