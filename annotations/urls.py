from django.urls import path

from annotations.views import articles, claims, public

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
    # Public fact-check pages.
    path("factchecks/<int:claim_pk>/", public.factcheck_detail, name="factcheck_detail"),
]
