from django.urls import path
from rest_framework.routers import SimpleRouter

from annotations.api import tokens, views

app_name = "api"

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("articles", views.ArticleViewSet, basename="article")

urlpatterns = [
    # Before the router, so "export" is never read as a claim id.
    path("claims/export.ndjson", views.ExportNdjsonView.as_view(), name="claim-export-ndjson"),
    path("claims/export.csv", views.ExportCsvView.as_view(), name="claim-export-csv"),
    path("ratings/", views.RatingList.as_view(), name="rating-list"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("notifications/", views.NotificationList.as_view(), name="notification-list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("auth/token/", tokens.TokenView.as_view(), name="token"),
    *router.urls,
]
