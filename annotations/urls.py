from django.urls import path

from annotations.views import articles

app_name = "annotations"

urlpatterns = [
    # Workspace: articles, reader, import.
    path("", articles.article_list, name="article_list"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    # Workspace: marking and editing claims.
    # Review: verdicts, evidence, transitions, history, queues.
    # Public fact-check pages.
]
