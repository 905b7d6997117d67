from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations import permissions
from annotations.models import Article, Claim, Evidence, Rating


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=extracted or permissions.EDITOR)[0])


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=extracted or permissions.REVIEWER)[0])


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    standfirst = "A short standfirst."
    source_name = "The Daily Example"
    source_url = factory.Sequence(lambda n: f"https://news.example.com/articles/{n}")
    body = factory.Sequence(
        lambda n: (
            f"Story {n}. The minister said unemployment fell by 3 percent last year.\n\n"
            '"We have never been stronger," the minister told reporters on Monday.\n\n'
            "Critics said the figures were incomplete."
        )
    )


class ClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim on the first sentence-like span that contains ``quote``."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    quote = "unemployment fell by 3 percent last year"
    start = factory.LazyAttribute(lambda o: o.article.body.index(o.quote))
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
    claimant = "The minister"
    created_by = factory.SubFactory(EditorFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://stats.example.org/release/{n}")
    title = "Labour market statistics"
    publisher = "Statistics Office"
    excerpt = "Unemployment fell by 2.1 percent."


def rating(slug: str = "mostly-false") -> Rating:
    return Rating.objects.get(slug=slug)


def published_claim(article: Article, quote: str, *, editor, reviewer, **fields) -> Claim:
    """A claim marked, given a verdict and a source, submitted and approved,
    all through the workflow."""
    from annotations import workflow

    claim = workflow.mark(article, by=editor, quote=quote, **fields)
    claim = workflow.update(
        claim, by=editor, version=claim.version, rating=rating(), summary="Checked."
    )
    workflow.add_evidence(
        claim, by=editor, version=claim.version, url="https://stats.example.org/source"
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    return workflow.approve(claim, by=reviewer, version=claim.version)
