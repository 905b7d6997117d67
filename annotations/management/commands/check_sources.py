"""``manage.py check_sources``: fetch the links of published sources again
and compare them with their archived copies (the worker also does this on
its own every few minutes for the sources that are due)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from annotations import archive
from annotations.models import Claim, Evidence


class Command(BaseCommand):
    help = (
        "Re-fetch published sources whose check is due (or all with --all) and mark them "
        "unchanged, changed since archived, or gone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="check every published source now")
        parser.add_argument("--limit", type=int, default=1000, help="at most this many (1000)")

    def handle(self, *args, all=False, limit=1000, **options) -> None:
        if all:
            sources = Evidence.objects.filter(
                kind=Evidence.Kind.URL,
                claim__in=Claim.objects.published(),
                archive__isnull=False,
            ).select_related("archive")
        else:
            sources = archive.due_for_check()
        counts = {"ok": 0, "changed": 0, "gone": 0}
        for evidence in sources[:limit]:
            status = archive.check_link(evidence)
            counts[status] += 1
            if status != "ok" and options["verbosity"] > 1:
                self.stdout.write(f"{status}: {evidence.url}")
        self.stdout.write(
            f"{sum(counts.values())} checked: {counts['ok']} unchanged, "
            f"{counts['changed']} changed since archived, {counts['gone']} gone"
        )
