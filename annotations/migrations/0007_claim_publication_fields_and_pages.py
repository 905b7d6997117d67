import django.core.validators
from django.db import migrations, models

# Starting texts of the public pages; the organisation edits them in the admin.
PAGES = [
    (
        "methodology",
        "Methodology",
        "We check statements of fact made in public by politicians, officials, institutions "
        "and widely shared sources. We choose claims by their reach and by whether they can be "
        "verified; we do not check opinions or predictions.\n\n"
        "An editor marks the claim in the article where it appeared, asks the person or body "
        "who made it for their source, and looks for the best available evidence: official "
        "statistics, original documents, published research and experts with no stake in the "
        "outcome. Every source we rely on is linked from the fact-check, with an archived copy "
        "where one exists.\n\n"
        "The editor proposes a verdict from our rating scale with a summary and a rationale. "
        "A second person, a reviewer who did not write the verdict, checks the evidence and "
        "the reasoning before anything is published. Every step is recorded.",
    ),
    (
        "corrections-policy",
        "Corrections policy",
        "When we get something wrong we correct it openly. A correction is reviewed by a "
        "second person like any fact-check; once published it replaces the old version and "
        "the fact-check shows a dated note saying what changed and why.\n\n"
        "If a fact-check cannot stand at all, we retract it: the page stays online, the verdict "
        "is struck through and a dated note explains the retraction.\n\n"
        "To ask for a correction, write to us with the address of the fact-check and the "
        "evidence you think we missed. We answer every request.",
    ),
    (
        "about",
        "About us and our funding",
        "We are an independent, non-partisan fact-checking team.\n\n"
        "Funding: list here every organisation that gives more than 5% of the annual budget, "
        "and how editorial independence from funders is protected.",
    ),
]


def seed(apps, schema_editor):
    PublicPage = apps.get_model("annotations", "PublicPage")
    for slug, title, body in PAGES:
        PublicPage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
    # Existing claims take the defaults that new ones get when they are marked.
    Claim = apps.get_model("annotations", "Claim")
    for claim in Claim.objects.select_related("article").filter(claim_date=None):
        if claim.article.published_on:
            Claim.objects.filter(pk=claim.pk).update(claim_date=claim.article.published_on)
    for claim in Claim.objects.select_related("article").filter(appearance_url=""):
        if claim.article.source_url:
            Claim.objects.filter(pk=claim.pk).update(appearance_url=claim.article.source_url)


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0003_history_protected_and_superseded_copies'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(choices=[('methodology', 'Methodology'), ('corrections-policy', 'Corrections policy'), ('about', 'About and funding')], max_length=40, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='claim',
            name='appearance_url',
            field=models.URLField(blank=True, help_text="Where the claim appeared; the article's URL by default.", max_length=2000, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])]),
        ),
        migrations.AddField(
            model_name='claim',
            name='claim_date',
            field=models.DateField(blank=True, help_text="When the claim was made; the article's date by default.", null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='headline',
            field=models.CharField(blank=True, help_text='The public headline (ClaimReview claimReviewed); 75 characters or fewer is advised. Empty: the claim text.', max_length=200),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
