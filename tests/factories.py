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
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
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


class DeskAdminFactory(UserFactory):
    """A team admin who also edits, as a desk chief usually does."""

    username = factory.Sequence(lambda n: f"admin{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@desk.example.org")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            for name in extracted or (permissions.EDITOR, permissions.ADMIN):
                self.groups.add(Group.objects.get_or_create(name=name)[0])


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


CORPUS_SENTENCES = (
    "The minister said unemployment fell by {n} percent last year.",
    "Exports to the region doubled in {n} months, the ministry claimed.",
    "The mayor promised {n} new schools before the election.",
    "Crime in the capital rose by {n} percent, the opposition said.",
    "The company reported {n} million euros in profit.",
)


def published_corpus(articles: int, per_article: int, *, batch: int = 2000) -> int:
    """A corpus of published claims loaded in bulk (``articles`` x
    ``per_article``), each with one evidence source and its feed entry, as
    the workflow would leave them; for lists, the feed and benchmarks at
    sizes the workflow would take minutes to build. Returns the last cursor."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from annotations import anchoring
    from annotations.models import ChangeEntry, FeedCursor, content_hash

    ratings = list(Rating.objects.order_by("order", "id"))
    author = EditorFactory()
    now = timezone.now()
    cursor = ChangeEntry.objects.aggregate(last=Max("cursor"))["last"] or 0
    first_article = (Article.objects.aggregate(last=Max("id"))["last"] or 0) + 1
    with transaction.atomic():
        for offset in range(0, articles, max(1, batch // per_article)):
            numbers = range(
                first_article + offset, first_article + min(articles, offset + batch // per_article)
            )
            made = Article.objects.bulk_create(
                Article(
                    title=f"Corpus article {n}",
                    body=(
                        body := "\n\n".join(
                            CORPUS_SENTENCES[i % len(CORPUS_SENTENCES)].format(n=n * 100 + i)
                            for i in range(per_article)
                        )
                    ),
                    content_hash=content_hash(f"Corpus article {n}", body),
                    source_name="The Daily Example",
                    source_url=f"https://news.example.com/corpus/{n}",
                    created_by=author,
                )
                for n in numbers
            )
            claims = []
            for article in made:
                start = 0
                for paragraph in article.body.split("\n\n"):
                    end = start + len(paragraph)
                    anchored = anchoring.span(article.body, start, end, paragraph)
                    index = len(claims)
                    claims.append(
                        Claim(
                            article=article,
                            start=start,
                            end=end,
                            quote=paragraph,
                            prefix=anchored.prefix,
                            suffix=anchored.suffix,
                            claim_text=paragraph,
                            claimant="The minister",
                            status=Claim.Status.PUBLISHED,
                            rating=ratings[index % len(ratings)],
                            summary="The official figures say otherwise.",
                            rationale="The statistics office published the figures.",
                            created_by=author,
                            published_at=now
                            - timezone.timedelta(seconds=cursor + index + 1, microseconds=0),
                        )
                    )
                    start = end + 2
            Claim.objects.bulk_create(claims)
            Evidence.objects.bulk_create(
                Evidence(
                    claim=claim,
                    url=f"https://stats.example.org/release/{claim.pk}",
                    title="Labour market statistics",
                    publisher="Statistics Office",
                    note="internal",
                )
                for claim in claims
            )
            ChangeEntry.objects.bulk_create(
                ChangeEntry(cursor=cursor + i + 1, claim=claim, action="published")
                for i, claim in enumerate(claims)
            )
            cursor += len(claims)
        FeedCursor.objects.update_or_create(pk=1, defaults={"value": cursor})
    return cursor
