"""The corpus version row and the triggers that bump it (annotations.corpus)."""

from django.db import migrations, models

# Frozen here: the migration must not change when the module does.
PUBLIC_TABLES = (
    "annotations_article",
    "annotations_articlerevision",
    "annotations_claim",
    "annotations_rating",
    "annotations_evidence",
    "annotations_archive",
    "annotations_correction",
    "annotations_changeentry",
    "annotations_claimrelation",
    "annotations_publicpage",
)
TABLE = "annotations_corpusversion"
UPSERT = (
    f"INSERT INTO {TABLE} (id, value) VALUES (1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET value = {TABLE}.value + 1"
)
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION factcheck_corpus_bump() RETURNS trigger AS $$
DECLARE
    mark text := txid_current()::text || '@' || statement_timestamp()::text;
BEGIN
    IF current_setting('factcheck.corpus_bumped', true) = mark THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('factcheck.corpus_bumped', mark, true);
    {UPSERT};
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def name(table):
    return f"corpus_bump_{table.removeprefix('annotations_')}"


def install(apps, schema_editor):
    apps.get_model("annotations", "CorpusVersion").objects.get_or_create(pk=1)
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(PG_FUNCTION)
        for table in PUBLIC_TABLES:
            execute(
                f"CREATE CONSTRAINT TRIGGER {name(table)} "
                f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION factcheck_corpus_bump()"
            )
        return
    for table in PUBLIC_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER {name(table)}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {UPSERT}; END"
            )


def uninstall(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in PUBLIC_TABLES:
            execute(f"DROP TRIGGER IF EXISTS {name(table)} ON {table}")
        execute("DROP FUNCTION IF EXISTS factcheck_corpus_bump()")
        return
    for table in PUBLIC_TABLES:
        for event in ("insert", "update", "delete"):
            execute(f"DROP TRIGGER IF EXISTS {name(table)}_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0014_team_management"),
    ]

    operations = [
        migrations.CreateModel(
            name="CorpusVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="corpus_version_singleton")
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
