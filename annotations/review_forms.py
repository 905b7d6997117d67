"""Forms of the review panel: verdict, evidence, workflow steps and comments.

They only parse and validate input; ``annotations.workflow`` decides and writes.
"""

from __future__ import annotations

from django import forms

from annotations.models import Claim, Evidence, Rating, http_url


class VersionedForm(forms.Form):
    """Every form that changes a claim carries the version the editor saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        # Labels read exactly "Verdict", "Source URL"...: no trailing colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(
        label="Verdict",
        queryset=Rating.objects.all(),
        required=False,
        empty_label="No verdict yet",
    )
    summary = forms.CharField(
        label="Summary",
        max_length=Claim._meta.get_field("summary").max_length,
        required=False,
        help_text="One line: what readers see.",
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The reasoning, with references to the evidence. Shown as plain text.",
    )

    def __init__(self, *args, ratings=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if ratings is not None:
            # A list the panel already loaded, so the select costs no query.
            self.fields["rating"].queryset = Rating.objects.all()
            self.fields["rating"].choices = [("", "No verdict yet")] + [
                (r.pk, r.label) for r in ratings
            ]


class EvidenceForm(VersionedForm):
    url = forms.URLField(
        label="Source URL",
        max_length=Evidence._meta.get_field("url").max_length,
        validators=[http_url],
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
    )
    title = forms.CharField(label="Source title", max_length=500, required=False)
    publisher = forms.CharField(label="Publisher", max_length=300, required=False)
    excerpt = forms.CharField(
        label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransitionForm(VersionedForm):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    comment = forms.CharField(
        label="Comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
