from django.db import migrations

RATINGS = [
    ("True", "true", 5, "The statement is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "Accurate, but needs clarification or additional context."),
    ("Half true", "half-true", 3, "Partially accurate; leaves out important details or takes things out of context."),
    ("Mostly false", "mostly-false", 2, "Contains an element of truth but ignores facts that would give a different impression."),
    ("False", "false", 1, "The statement is not accurate."),
    ("Unverifiable", "unverifiable", None, "The available evidence can neither confirm nor refute the statement."),
]


def seed(apps, schema_editor):
    Rating = apps.get_model("annotations", "Rating")
    for order, (label, slug, value, description) in enumerate(RATINGS, start=1):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={"label": label, "value": value, "description": description, "order": order},
        )
    Group = apps.get_model("auth", "Group")
    for name in ("editor", "reviewer"):
        Group.objects.get_or_create(name=name)
    FeedCursor = apps.get_model("annotations", "FeedCursor")
    FeedCursor.objects.get_or_create(pk=1, defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
