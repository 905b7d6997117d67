from django.urls import path

from annotations.views import articles, claims, public, review, sources

app_name = "annotations"

urlpatterns = [
    # Workspace: articles, reader, import.
    path("", articles.article_list, name="article_list"),
    path("articles/import/", articles.article_import, name="article_import"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    # Workspace: marking and editing claims.
    path("articles/<int:pk>/claims/", claims.claim_create, name="claim_create"),
    path("articles/<int:pk>/claims/<int:claim_pk>/", claims.claim_detail, name="claim_detail"),
    path("articles/<int:pk>/claims/<int:claim_pk>/edit/", claims.claim_update, name="claim_update"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/delete/",
        claims.claim_delete,
        name="claim_delete",
    ),
    # Review: verdicts, evidence, transitions, history, queues.
    path("claims/<int:claim_pk>/verdict/", review.claim_verdict, name="claim_verdict"),
    path("claims/<int:claim_pk>/evidence/", review.evidence_create, name="evidence_create"),
    path(
        "claims/<int:claim_pk>/evidence/<int:evidence_pk>/",
        review.evidence_update,
        name="evidence_update",
    ),
    path(
        "claims/<int:claim_pk>/evidence/<int:evidence_pk>/delete/",
        review.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "claims/<int:claim_pk>/transitions/<slug:action>/",
        review.claim_transition,
        name="claim_transition",
    ),
    path("claims/<int:claim_pk>/comments/", review.claim_comment, name="claim_comment"),
    path("claims/<int:claim_pk>/history/", review.claim_history, name="claim_history"),
    path("dashboard/", review.dashboard, name="dashboard"),
    # Sources: URL imports on the queue, archives, uploads, protected sources, link checks.
    path("articles/import/<slug:task_id>/", sources.import_status, name="import_status"),
    path("claims/<int:claim_pk>/sources/upload/", sources.source_upload, name="source_upload"),
    path(
        "claims/<int:claim_pk>/sources/protected/",
        sources.source_protected,
        name="source_protected",
    ),
    path("sources/", sources.sources_queue, name="sources_queue"),
    path("sources/<int:evidence_pk>/stance/", sources.source_stance, name="source_stance"),
    path("sources/<int:evidence_pk>/state/", sources.archive_state, name="archive_state"),
    path("sources/<int:evidence_pk>/retry/", sources.archive_retry, name="archive_retry"),
    path("sources/<int:evidence_pk>/archive/", sources.archived_copy, name="archived_copy"),
    path(
        "sources/<int:evidence_pk>/archive/page.html",
        sources.archived_page,
        name="archived_page",
    ),
    path(
        "sources/<int:evidence_pk>/archive/record.warc.gz",
        sources.archived_record,
        name="archived_record",
    ),
    path(
        "sources/<int:evidence_pk>/archive/screenshot.png",
        sources.archived_screenshot,
        name="archived_screenshot",
    ),
    path("sources/<int:evidence_pk>/file/", sources.source_file, name="source_file"),
    path("sources/<int:evidence_pk>/thumbnail/", sources.source_thumbnail, name="source_thumbnail"),
    # Public fact-check pages.
    path("factchecks/<int:claim_pk>/", public.factcheck_detail, name="factcheck_detail"),
]
