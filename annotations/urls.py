from django.urls import path

from annotations.views import articles

app_name = "annotations"

urlpatterns = [
    path("", articles.article_list, name="article_list"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
]
