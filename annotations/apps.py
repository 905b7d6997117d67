from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Fact-check annotations"

    def ready(self) -> None:
        # Connects the receiver that archives every source when it is added.
        from annotations import tasks  # noqa: F401
