from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotations.models import Article
from annotations.permissions import is_editor
from annotations.views.common import editor_required


@require_GET
@login_required
@editor_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_status_counts().order_by("-created_at", "-id")
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "annotations/article_list.html", {"page": page})


@require_GET
@login_required
@editor_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    return render(
        request,
        "annotations/article_detail.html",
        {"article": article, "can_edit": is_editor(request.user)},
    )
