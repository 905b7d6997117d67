"""The workspace: the articles list with its import form, and the reader."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotations import importers, reader, workflow
from annotations.forms import ArticleSearchForm, ClaimForm, ImportForm
from annotations.models import Article, Claim
from annotations.views import review
from annotations.views.common import editor_required, wants_partial

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
            if getattr(article, f"{status.value}_count")
        ]
    return {
        "search_form": form,
        "page": page,
        "import_form": import_form or ImportForm(),
        "max_bytes": settings.FACTCHECK_IMPORT_MAX_BYTES,
    }


@require_GET
@login_required
@editor_required
def article_list(request: HttpRequest) -> HttpResponse:
    template = "annotations/article_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, _list_context(request))


@require_POST
@login_required
@editor_required
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
                result = importers.import_url(data["url"], by=request.user)
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


def panel_context(request: HttpRequest, claim: Claim | None, **extra) -> dict:
    """Everything claim_panel.html and the review part it includes need."""
    context: dict = {"claim": claim, "user": request.user}
    if claim is not None:
        context.update(
            form=ClaimForm.for_claim(claim),
            version=claim.version,
            editable=claim.status_enum.is_editable,
            deletable=workflow.is_deletable(claim),
        )
        # The review part: verdict, evidence, the workflow actions, history.
        context.update(review.panel_context(request, claim))
    context.update(extra)
    return context


def panel_claim(article_pk: int, claim_pk: int) -> Claim:
    """The claim the panel shows, with what the review part reads."""
    return get_object_or_404(
        Claim.objects.select_related("article", "rating").prefetch_related("evidence"),
        pk=claim_pk,
        article_id=article_pk,
    )


def reader_context(request: HttpRequest, article: Article) -> dict:
    claims = reader.marks(article)
    return {
        "article": article,
        "claims": claims,
        "body_html": reader.body_html(article.body, claims),
        "claim_items": reader.claim_items_html(article.pk, claims),
        "statuses": Claim.Status,
    }


def render_reader(
    request: HttpRequest,
    article: Article,
    claim: Claim | None = None,
    *,
    status: int = 200,
    **panel,
) -> HttpResponse:
    context = reader_context(request, article)
    context.update(panel_context(request, claim, **panel))
    return render(request, "annotations/article_detail.html", context, status=status)


@require_GET
@login_required
@editor_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if wants_partial(request):
        # The reader refreshes its body and claim list after a change.
        return render(
            request, "annotations/article_detail.html#reader", reader_context(request, article)
        )
    claim = None
    claim_id = request.GET.get("claim", "")
    if claim_id.isdigit():
        claim = panel_claim(article.pk, int(claim_id))
    return render_reader(request, article, claim)
