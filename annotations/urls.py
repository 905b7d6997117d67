from django.urls import path

from annotations.views import article_edit, articles, claims, public, review

app_name = "annotations"

urlpatterns = [
    # Workspace: articles, reader, import.
    path("", articles.article_list, name="article_list"),
    path("articles/import/", articles.article_import, name="article_import"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    # Workspace: article details, history, revisions and orphaned claims.
    path("articles/<int:pk>/edit/", article_edit.article_edit, name="article_edit"),
    path("articles/<int:pk>/history/", article_edit.article_history, name="article_history"),
    path(
        "articles/<int:pk>/versions/", article_edit.article_new_version, name="article_new_version"
    ),
    path("articles/<int:pk>/check/", article_edit.article_check, name="article_check"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/reattach/",
        article_edit.orphan_reattach,
        name="orphan_reattach",
    ),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/dismiss-orphan/",
        article_edit.orphan_dismiss,
        name="orphan_dismiss",
    ),
    path("orphans/", article_edit.orphan_list, name="orphan_list"),
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
    # Public fact-check pages.
    path("factchecks/<int:claim_pk>/", public.factcheck_detail, name="factcheck_detail"),
    path(
        "factchecks/<int:claim_pk>/changes/",
        article_edit.factcheck_changes,
        name="factcheck_changes",
    ),
]
