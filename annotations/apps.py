from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _ensure_search_index(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    from annotations import search

    search.install_sqlite(connections[using])


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Fact-check annotations"

    def ready(self) -> None:
        # Connects the receiver that archives every source when it is added.
        from annotations import (
            matching,
            tasks,  # noqa: F401
        )
        from annotations.models import Claim

        # Embeddings follow the claim text wherever it is saved (workflow,
        # admin, importer), like the full-text index follows the table.
        post_save.connect(matching.on_claim_saved, sender=Claim, dispatch_uid="claim-embedding")
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="claim-search-index")
