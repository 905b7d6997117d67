from __future__ import annotations

from django import forms

from annotations.importers import IMPORTABLE_SUFFIXES
from annotations.models import Claim

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "title": ("title", "id"),
    "claims": ("-claim_count", "-created_at", "-id"),
}
SORT_LABELS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title, A to Z",
    "claims": "Most claims",
}


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label="Search articles", required=False, max_length=200)
    sort = forms.ChoiceField(
        label="Sort by", choices=list(SORT_LABELS.items()), required=False, initial="newest"
    )

    def ordering(self) -> tuple[str, ...]:
        sort = self.cleaned_data.get("sort") if self.is_valid() else ""
        return SORTS.get(sort or "newest", SORTS["newest"])


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the article text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="First line: the title; then paragraphs separated by a blank line.",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text=f"{', '.join(sorted(IMPORTABLE_SUFFIXES))}",
    )
    url = forms.URLField(
        label="Or give the URL of a page",
        required=False,
        assume_scheme="https",
        help_text="The server fetches it (http or https).",
    )

    def clean(self) -> dict:
        data = super().clean()
        given = [name for name in ("text", "file", "url") if data.get(name)]
        if not given and not self.errors:
            raise forms.ValidationError("Paste some text, choose a file or give a URL.")
        if len(given) > 1:
            raise forms.ValidationError("Give only one of: pasted text, a file or a URL.")
        return data


class MarkForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    quote = forms.CharField(strip=False)
    claimant = forms.CharField(required=False, max_length=300)
    allow_short = forms.BooleanField(required=False)


class ClaimForm(forms.Form):
    claim_text = forms.CharField(
        label="Claim",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The statement as you phrase it; empty keeps the quote.",
    )
    claimant = forms.CharField(label="Claimant", required=False, max_length=300)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    @classmethod
    def for_claim(cls, claim: Claim) -> ClaimForm:
        return cls(
            initial={
                "claim_text": claim.claim_text,
                "claimant": claim.claimant,
                "version": claim.version,
            }
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1)
