from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from annotations import revisions
from annotations.models import Article


class Command(BaseCommand):
    help = (
        "Check articles for updates: fetch each source URL again and, when the text "
        "changed, make it a new revision and re-anchor the claims."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Article ids.")
        parser.add_argument(
            "--all", action="store_true", help="Every article with a source or canonical URL."
        )

    def handle(self, *args, ids: list[int], all: bool, **options) -> None:
        if bool(ids) == bool(all):
            raise CommandError("Give article ids or --all (not both).")
        articles = Article.objects.order_by("pk")
        if all:
            articles = articles.filter(~Q(source_url="") | ~Q(canonical_url=""))
        else:
            articles = articles.filter(pk__in=ids)
            missing = set(ids) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, sorted(missing)))}.")
        revised = unchanged = failed = 0
        for article in articles.iterator():
            try:
                result = revisions.check_for_updates(article, by=None)
            except revisions.RevisionRejected as error:
                failed += 1
                self.stderr.write(f"FAILED    article {article.pk}: {error.message}")
                continue
            if result.changed:
                revised += 1
                counts = ", ".join(f"{n} {method}" for method, n in result.counts.items())
                self.stdout.write(
                    f"revised   article {article.pk} -> revision {result.article.revision}"
                    f" (claims: {counts or 'none'})"
                )
            else:
                unchanged += 1
                self.stdout.write(f"unchanged article {article.pk}")
        self.stdout.write(f"{revised} revised, {unchanged} unchanged, {failed} failed")
        if failed:
            raise CommandError(f"{failed} article(s) could not be checked.", returncode=1)
