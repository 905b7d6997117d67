from django.urls import path

from annotations.views import articles, claims, public, review, search

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
    # Search, saved searches, similar claims and links between claims.
    path("search/", search.search_page, name="search"),
    path("search/saved/", search.saved_search_create, name="saved_search_create"),
    path(
        "search/saved/<int:pk>/delete/",
        search.saved_search_delete,
        name="saved_search_delete",
    ),
    path("claims/<int:claim_pk>/similar/", search.claim_similar, name="claim_similar"),
    path(
        "claims/<int:claim_pk>/same-as/<int:other_pk>/",
        search.claim_link,
        name="claim_link",
    ),
    path(
        "claims/<int:claim_pk>/start-from/<int:other_pk>/",
        search.claim_start_from,
        name="claim_start_from",
    ),
    # Public fact-check pages.
    path("factchecks/<int:claim_pk>/", public.factcheck_detail, name="factcheck_detail"),
]
