from __future__ import annotations

from django.core.management.base import BaseCommand

from annotations import matching


class Command(BaseCommand):
    help = (
        "Embed every claim that has no current embedding (claims loaded in bulk, which "
        "skips the save hook, or all of them after a change of model)."
    )

    def handle(self, *args, **options) -> None:
        done = matching.embed_missing()
        self.stdout.write(f"embedded {done} claim{'s' if done != 1 else ''}")
