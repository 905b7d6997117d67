from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("annotations.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: the CSP allows no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="rest_framework/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("", include("annotations.urls")),
]

handler404 = "annotations.api.errors.page_not_found"
