"""Reading assistance in the workspace: check-worthiness hints beside the
article and the "Suggested claims" list, with the per-user toggle. Marking a
suggestion posts to the ordinary claim_create view, so it is one write path."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations import checkworthiness
from annotations.models import Article, ReadingPreference
from annotations.views.common import editor_required, wants_partial

HINTS = "annotations/reading_hints.html"
# Enough to cover every worthy sentence of a long story; the list scrolls.
MAX_SUGGESTIONS = 40


class HintsForm(forms.Form):
    show = forms.ChoiceField(choices=[("on", "on"), ("off", "off")])


def _context(request: HttpRequest, article: Article) -> dict[str, object]:
    show = ReadingPreference.shows_hints(request.user)
    suggested: list[checkworthiness.SentenceScore] = []
    if show:
        marked = list(article.claims.values_list("start", "end"))
        suggested = checkworthiness.suggestions(article.body, marked, limit=MAX_SUGGESTIONS)
    return {"article": article, "show_hints": show, "suggested": suggested}


@require_GET
@login_required
@editor_required
def article_hints(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("id", "body"), pk=pk)
    return render(request, HINTS, _context(request, article))


@require_POST
@login_required
@editor_required
def hints_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("id", "body"), pk=pk)
    form = HintsForm(request.POST)
    if not form.is_valid():
        return render(request, HINTS, _context(request, article), status=422)
    ReadingPreference.objects.update_or_create(
        user=request.user, defaults={"show_hints": form.cleaned_data["show"] == "on"}
    )
    if not wants_partial(request):
        return redirect(article)
    return render(request, HINTS, _context(request, article))
