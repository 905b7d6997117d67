from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse_lazy

from annotations import bulk
from annotations.importers import IMPORTABLE_SUFFIXES
from annotations.models import (
    Claim,
    Evidence,
    Notification,
    NotificationPreference,
    Part,
    Priority,
    Rating,
    http_url,
)

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
    part = forms.ChoiceField(choices=Part.choices, required=False)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    quote = forms.CharField(strip=False)
    claimant = forms.CharField(required=False, max_length=300)
    allow_short = forms.BooleanField(required=False)


# --- the claim panel ----------------------------------------------------------
# Its forms only parse and validate input; ``annotations.workflow`` decides
# and writes.


class VersionedForm(forms.Form):
    """Every form of the claim panel carries the version of the claim the
    person saw, so that a save over somebody else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        # Labels read exactly "Verdict", "Source URL"...: no trailing colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def rebased(self, version: int) -> VersionedForm:
        """The same values over ``version``: after a stale save the form keeps
        what the person typed, and saving again applies it."""
        data = self.data.copy()
        data["version"] = str(version)
        form = type(self)(data, auto_id=self.auto_id)
        form.is_valid()
        return form


class ClaimForm(VersionedForm):
    claim_text = forms.CharField(
        label="Claim",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The statement as you phrase it; empty keeps the quote.",
    )
    claimant = forms.CharField(label="Claimant", required=False, max_length=300)
    headline = forms.CharField(
        label="Headline",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"data-advised-length": "75", "aria-describedby": "headline-count"}
        ),
        help_text="The fact-check's public title; search engines advise 75 characters or fewer. "
        "Empty: the claim text.",
    )
    claim_date = forms.DateField(
        label="Date of the claim",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When it was said; the article's date by default.",
    )
    appearance_url = forms.URLField(
        label="Where it appeared",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The address of the original; the article's by default.",
    )

    PUBLICATION_FIELDS = ("headline", "claim_date", "appearance_url")

    @classmethod
    def for_claim(cls, claim: Claim) -> ClaimForm:
        return cls(
            initial={
                "claim_text": claim.claim_text,
                "claimant": claim.claimant,
                **{name: getattr(claim, name) for name in cls.PUBLICATION_FIELDS},
                "version": claim.version,
            }
        )

    def publication_values(self) -> dict:
        """The headline, date and appearance fields for ``workflow.update``;
        only those the form carried, so an older form changes none of them."""
        return {
            name: self.cleaned_data[name] for name in self.PUBLICATION_FIELDS if name in self.data
        }


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


# Comment boxes complete ``@`` to a person (static/js/mentions.js).
MENTIONS = {"data-mentions": reverse_lazy("annotations:people")}


class TransitionForm(VersionedForm):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, **MENTIONS}))


class CommentForm(VersionedForm):
    comment = forms.CharField(
        label="Comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 2, **MENTIONS})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A comment never overwrites anything: it is taken whatever the version.
        self.fields["version"].required = False


class NotificationPreferencesForm(forms.Form):
    """Two checkboxes per kind, named ``<kind>-inbox`` and ``<kind>-email``."""

    def __init__(self, *args, choices: dict[str, NotificationPreference], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, label in Notification.Kind.choices:
            choice = choices.get(kind)
            for channel, channel_label in (("inbox", "In the inbox"), ("email", "By email")):
                self.fields[f"{kind}-{channel}"] = forms.BooleanField(
                    label=f"{label}: {channel_label.lower()}",
                    required=False,
                    initial=getattr(choice, channel) if choice else True,
                )
            self.kinds.append(
                {
                    "kind": kind,
                    "label": label,
                    "inbox": self[f"{kind}-inbox"],
                    "email": self[f"{kind}-email"],
                }
            )

    def save(self, user) -> None:
        """Store a choice for every kind, in one transaction."""
        with transaction.atomic():
            for kind in Notification.Kind.values:
                NotificationPreference.objects.update_or_create(
                    user=user,
                    kind=kind,
                    defaults={
                        "inbox": self.cleaned_data[f"{kind}-inbox"],
                        "email": self.cleaned_data[f"{kind}-email"],
                    },
                )


# --- desk coordination: assignment, the submit form's reviewer, bulk actions --


class PersonField(forms.ModelChoiceField):
    """A person picked by username from the desk (``permissions.desk_members``);
    the workflow decides whether the role fits."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=get_user_model().objects.all(), required=False, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.get_username()


def due_field() -> forms.DateTimeField:
    # A datetime-local value has no offset: it is read in the current time
    # zone (TIME_ZONE) and shown back in it.
    return forms.DateTimeField(
        label="Due",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class PeopleMixin:
    """Fills the person selects from a list the caller loaded once, so that
    rendering them costs no query; ``people`` carry ``reviews``."""

    empty_labels = {"assignee": "Nobody", "reviewer": "Any reviewer"}

    def set_people(self, people) -> None:
        self.people = people
        if people is None:
            return
        for name, empty in self.empty_labels.items():
            if name in self.fields:
                fit = [p for p in people if name == "assignee" or p.reviews]
                self.fields[name].choices = [("", empty)] + [(p.pk, p.get_username()) for p in fit]


class AssignmentForm(PeopleMixin, VersionedForm):
    assignee = PersonField(label="Assignee", empty_label="Nobody")
    reviewer = PersonField(label="Reviewer", empty_label="Any reviewer")
    due = due_field()
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices)

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_people(people)

    @classmethod
    def for_claim(cls, claim: Claim, people, **kwargs) -> AssignmentForm:
        initial = {
            "assignee": claim.assignee_id,
            "reviewer": claim.reviewer_id,
            "due": claim.due,
            "priority": claim.priority,
            "version": claim.version,
        }
        return cls(initial=initial, people=people, **kwargs)

    def rebased(self, version: int) -> AssignmentForm:
        data = self.data.copy()
        data["version"] = str(version)
        form = type(self)(data, auto_id=self.auto_id, people=self.people)
        form.is_valid()
        return form


class SubmitForm(PeopleMixin, TransitionForm):
    """ "Submit for review", with the reviewer asked for (empty: any reviewer)."""

    reviewer = PersonField(label="Reviewer", empty_label="Any reviewer")

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_people(people)

    def reviewer_choice(self) -> dict:
        """``reviewer=`` for ``workflow.submit`` when the form carried the
        select; an older form without it leaves the reviewer as it was."""
        return {"reviewer": self.cleaned_data["reviewer"]} if "reviewer" in self.data else {}

    def rebased(self, version: int) -> SubmitForm:
        data = self.data.copy()
        data["version"] = str(version)
        form = type(self)(data, auto_id=self.auto_id, people=self.people)
        form.is_valid()
        return form


class PicksField(forms.Field):
    """The claims ticked in a list, each as ``<id>:<version seen>``; parsed
    into ``{id: version}`` in the order given."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Select at least one claim.",
        "invalid": "The list did not say which claims you selected; reload and try again.",
    }

    def to_python(self, value) -> dict[int, int]:
        picks: dict[int, int] = {}
        for item in value or []:
            pk, _, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            picks.setdefault(int(pk), int(version))
        return picks


class BulkForm(PeopleMixin, forms.Form):
    """The bulk bar of a claim list: which claims, which action, its one
    argument. Each claim then goes through the workflow on its own."""

    empty_labels = {"assignee": "Nobody"}

    claim = PicksField()
    action = forms.ChoiceField(choices=list(bulk.LABELS.items()))
    assignee = PersonField(label="Assignee", empty_label="Nobody")
    due = due_field()
    note = forms.CharField(label="Note", required=False, max_length=5000)

    def __init__(self, *args, people=None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.set_people(people)

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if action == "due" and not data.get("due") and "due" not in self.errors:
            self.add_error("due", "Pick the due date and time to set.")
        if action == "dismiss" and not (data.get("note") or "").strip():
            self.add_error("note", "Dismissing needs a note saying why.")
        return data
