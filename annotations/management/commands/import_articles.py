from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import importers


class Command(BaseCommand):
    help = (
        "Import articles from text, Markdown or HTML files, or folders of them. "
        "Idempotent: content already imported is reported as unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], **options) -> None:
        created = unchanged = failed = 0
        for path in self._files(paths):
            try:
                result = importers.import_path(path)
            except importers.ImportRejected as error:
                failed += 1
                self.stderr.write(f"FAILED {path}: {error.message}")
                continue
            except OSError as error:
                failed += 1
                self.stderr.write(f"FAILED {path}: {error.strerror or error}")
                continue
            if result.created:
                created += 1
                self.stdout.write(f"created   {path} -> article {result.article.pk}")
            else:
                unchanged += 1
                self.stdout.write(f"unchanged {path} -> article {result.article.pk}")
        self.stdout.write(f"{created} created, {unchanged} unchanged, {failed} failed")
        if failed:
            raise CommandError(f"{failed} file(s) failed to import.", returncode=1)

    def _files(self, paths: list[Path]):
        for path in paths:
            if path.is_dir():
                yield from sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not p.name.startswith(".")
                    and p.suffix.lower() in importers.IMPORTABLE_SUFFIXES
                )
            else:
                yield path
