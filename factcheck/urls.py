from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotations.api.errors import error_body
from annotations.views import team


class SwaggerView(SpectacularSwaggerSplitView):
    # OPTIONS would render DRF's metadata through the page's HTML template.
    http_method_names = ["get", "head"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        return JsonResponse(
            error_body(405, "method_not_allowed", "The API docs answer GET only."), status=405
        )


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email, for everyone: Django's views (sending capped), our templates.
    path(
        "accounts/password-reset/",
        team.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("api/v1/", include("annotations.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: the CSP allows no inline script.
        SwaggerView.as_view(url_name="schema", template_name="rest_framework/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include("annotations.urls")),
]

handler400 = "annotations.api.errors.bad_request"
handler404 = "annotations.api.errors.page_not_found"
handler500 = "annotations.api.errors.server_error"
