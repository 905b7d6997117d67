"""Forms of the article's metadata, new versions and orphan re-attachment.

They only parse and validate input; ``annotations.revisions`` and
``annotations.workflow`` decide and write.
"""

from __future__ import annotations

from django import forms

from annotations.importers import IMPORTABLE_SUFFIXES
from annotations.models import Article, Part


class ArticleMetadataForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "standfirst",
            "byline",
            "source_name",
            "source_url",
            "canonical_url",
            "published_on",
            "language",
        ]
        labels = {
            "title": "Headline",
            "standfirst": "Standfirst",
            "byline": "Byline",
            "source_name": "Outlet",
            "source_url": "Source URL",
            "canonical_url": "Canonical URL",
            "published_on": "Publication date",
            "language": "Language",
        }
        help_texts = {
            "canonical_url": "The publisher's own address of the story, when it differs.",
            "language": "A BCP 47 tag such as en, fr or pt-BR.",
        }
        widgets = {
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        # The model's own checks (content hash, frozen text) belong to
        # annotations.revisions, which runs them on save.
        pass


class NewVersionForm(forms.Form):
    text = forms.CharField(
        label="Paste the new version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The whole article, laid out as for an import (or the page's HTML).",
    )
    file = forms.FileField(
        label="Or upload it",
        required=False,
        help_text=f"{', '.join(sorted(IMPORTABLE_SUFFIXES))}",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError("Paste the new version or choose a file.")
        return data


class ReattachForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    part = forms.ChoiceField(choices=Part.choices, widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)


class DiffForm(forms.Form):
    a = forms.IntegerField(label="From revision", min_value=1)
    b = forms.IntegerField(label="To revision", min_value=1)
