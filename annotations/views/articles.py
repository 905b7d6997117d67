"""The workspace: the articles list with its import form, and the reader."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from annotations import importers, tasks
from annotations.forms import ArticleSearchForm, ImportForm
from annotations.models import Article, Claim
from annotations.views import panel
from annotations.views.common import wants_partial, workspace_view

PAGE_SIZE = 20


def _articles(form: ArticleSearchForm):
    articles = Article.objects.with_status_counts()
    query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    if query:
        articles = articles.filter(
            Q(title__icontains=query)
            | Q(standfirst__icontains=query)
            | Q(body__icontains=query)
            | Q(source_name__icontains=query)
            | Q(source_url__icontains=query)
        )
    return articles.order_by(*form.ordering())


def _list_context(request: HttpRequest, import_form: ImportForm | None = None) -> dict:
    form = ArticleSearchForm(request.GET)
    page = Paginator(_articles(form), PAGE_SIZE).get_page(request.GET.get("page"))
    for article in page:
        article.status_counts = [
            (status.value, status.label, getattr(article, f"{status.value}_count"))
            for status in Claim.Status
            # A superseded working copy is history, not a claim on the article.
            if status != Claim.Status.SUPERSEDED and getattr(article, f"{status.value}_count")
        ]
    return {
        "search_form": form,
        "page": page,
        "import_form": import_form or ImportForm(),
        "max_bytes": settings.FACTCHECK_IMPORT_MAX_BYTES,
    }


@workspace_view("GET")
def article_list(request: HttpRequest) -> HttpResponse:
    template = "annotations/article_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, _list_context(request))


@workspace_view("POST")
def article_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["text"]:
                result = importers.import_text(data["text"], by=request.user)
            elif data["file"]:
                upload = data["file"]
                result = importers.import_bytes(
                    upload.read(), filename=upload.name, by=request.user
                )
            else:
                importers.check_url(data["url"])
                # Fetching waits on another site: the queue does it, the form returns.
                queued = tasks.import_url.enqueue(data["url"], request.user.pk)
                target = reverse("annotations:import_status", args=[queued.id])
                return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
        except importers.ImportRejected as error:
            form.add_error(None, error.message)
    if result is None:
        template = "annotations/article_list.html"
        if wants_partial(request):
            template += "#import-form"
        return render(request, template, _list_context(request, form), status=422)
    article = result.article
    if result.created:
        messages.success(request, f"Imported “{article.title}”.")
    else:
        messages.info(request, f"“{article.title}” was imported before; here it is.")
    if request.htmx:
        return HttpResponseClientRedirect(article.get_absolute_url())
    return redirect(article)


@workspace_view("GET")
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if wants_partial(request):
        # The reader refreshes its body and claim list after a change.
        return render(
            request,
            "annotations/article_detail.html#reader",
            panel.reader_context(request, article),
        )
    claim = None
    claim_id = request.GET.get("claim", "")
    if claim_id.isdigit():
        claim = panel.load(int(claim_id), article.pk)
    return panel.render_reader(request, article, claim)
