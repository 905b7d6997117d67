"""Reading assistance in the workspace: check-worthiness hints beside the
article and the "Suggested claims" list, with the per-user toggle. Marking a
suggestion posts to the ordinary claim_create view, so it is one write path."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from annotations import checkworthiness
from annotations.models import Article, ReadingPreference
from annotations.views.common import wants_partial, workspace_view

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


@workspace_view("GET")
def article_hints(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("id", "body"), pk=pk)
    return render(request, HINTS, _context(request, article))


@workspace_view("POST")
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
