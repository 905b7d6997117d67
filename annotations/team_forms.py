"""Forms of the team page and of the invitation link."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from annotations import permissions
from annotations.team import ROLE_LABELS

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in permissions.TEAM_ROLES]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    username = forms.CharField(
        label="User name",
        required=False,
        max_length=150,
        help_text="Optional: leave empty to let them choose.",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[permissions.EDITOR],
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username:
            get_user_model().username_validator(username)
        return username


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class AcceptInvitationForm(UserCreationForm):
    """The invitee's name and password, checked by Django's password
    validators against the account it makes (name and address included)."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name")

    def __init__(self, *args, invitation, **kwargs) -> None:
        kwargs.setdefault("instance", get_user_model()(email=invitation.email))
        super().__init__(*args, **kwargs)
        if invitation.username:
            # The admin chose the name: it is shown, not asked for.
            self.initial["username"] = invitation.username
            self.fields["username"].disabled = True
        self.fields["first_name"].label = "First name (optional)"
        self.fields["last_name"].label = "Last name (optional)"
