"""Notifications: who is told of which step, mentions, preferences, and
email sent by the task queue only after the step has committed."""

from __future__ import annotations

import runpy
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations import notifications, tasks, workflow
from annotations.models import Notification, NotificationPreference
from factcheck import settings as settings_module
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def received(kind: str | None = None) -> set[tuple[str, str]]:
    rows = Notification.objects.select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return {(n.recipient.username, n.kind) for n in rows}


# --- who is told what ------------------------------------------------------


def _assign_other_editor(people):
    draft = people["draft"]
    workflow.assign(draft, by=people["editor"], version=draft.version, assignee=people["other"])


def _submit_to_reviewer(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    workflow.submit(claim, by=people["editor"], version=claim.version, reviewer=people["reviewer"])


def _ask_reviewer_on_claim_in_review(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    Notification.objects.all().delete()
    workflow.assign(claim, by=people["other"], version=claim.version, reviewer=people["reviewer"])


def _request_changes(people):
    draft = people["draft"]
    claim = workflow.assign(
        draft, by=people["editor"], version=draft.version, assignee=people["other"]
    )
    claim = ready_for_review(claim, by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    Notification.objects.all().delete()
    workflow.request_changes(
        claim, by=people["reviewer"], version=claim.version, comment="Cite the Q4 release."
    )


def _approve(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    workflow.approve(claim, by=people["reviewer"], version=claim.version)


def _retract(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    claim = workflow.approve(claim, by=people["reviewer"], version=claim.version)
    Notification.objects.all().delete()
    workflow.retract(claim, by=people["reviewer"], version=claim.version, comment="Wrong figure.")


def _publish_correction(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    claim = workflow.approve(claim, by=people["reviewer"], version=claim.version)
    copy = workflow.start_correction(
        claim, by=people["other"], version=claim.version, comment="New figure"
    )
    copy = workflow.update(copy, by=people["other"], version=copy.version, summary="It fell 2%.")
    copy = workflow.submit(copy, by=people["other"], version=copy.version)
    Notification.objects.all().delete()
    workflow.approve(copy, by=people["reviewer"], version=copy.version)


def _comment_with_mentions(people):
    workflow.comment(
        people["draft"],
        by=people["editor"],
        text=f"@{people['reviewer'].username} and @{people['other'].username}: is "
        f"@{people['reviewer'].username}'s source fine? cc @nobody-here",
    )


def _request_changes_mentioning_another(people):
    claim = ready_for_review(people["draft"], by=people["editor"])
    claim = workflow.submit(claim, by=people["editor"], version=claim.version)
    Notification.objects.all().delete()
    workflow.request_changes(
        claim,
        by=people["reviewer"],
        version=claim.version,
        comment=f"@{people['editor'].username} @{people['other'].username} see the source",
    )


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (_assign_other_editor, {("other", Kind.ASSIGNED)}),
        (_submit_to_reviewer, {("reviewer", Kind.REVIEW_REQUESTED)}),
        (_ask_reviewer_on_claim_in_review, {("reviewer", Kind.REVIEW_REQUESTED)}),
        (
            _request_changes,
            {("editor", Kind.CHANGES_REQUESTED), ("other", Kind.CHANGES_REQUESTED)},
        ),
        (_approve, {("editor", Kind.PUBLISHED)}),
        (_retract, {("editor", Kind.RETRACTED)}),
        (_publish_correction, {("editor", Kind.PUBLISHED), ("other", Kind.PUBLISHED)}),
        (_comment_with_mentions, {("reviewer", Kind.MENTIONED), ("other", Kind.MENTIONED)}),
        # The event's own kind wins over a mention of the same person.
        (
            _request_changes_mentioning_another,
            {("editor", Kind.CHANGES_REQUESTED), ("other", Kind.MENTIONED)},
        ),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_each_step_notifies_the_people_it_concerns(step, expected, draft, editor, reviewer):
    other = factories.EditorFactory()
    people = {"draft": draft, "editor": editor, "reviewer": reviewer, "other": other}
    names = {person.username: name for name, person in people.items() if name != "draft"}

    step(people)

    assert {(names[username], kind) for username, kind in received()} == expected


def test_edits_and_plain_comments_notify_nobody(draft, editor, reviewer):
    claim = workflow.update(draft, by=editor, version=draft.version, summary="It fell.")
    workflow.comment(claim, by=reviewer, text="Looks fine, mail me at someone@example.org")
    assert not Notification.objects.exists()


def test_nobody_is_notified_of_their_own_step(draft, editor):
    workflow.assign(draft, by=editor, version=draft.version, assignee=editor)
    workflow.comment(draft, by=editor, text=f"Note to self, @{editor.username}")
    assert not Notification.objects.exists()


def test_inactive_people_and_people_without_a_role_are_not_notified(draft, editor, outsider):
    gone = factories.EditorFactory(is_active=False)
    workflow.comment(draft, by=editor, text=f"@{gone.username} @{outsider.username}")
    assert not Notification.objects.exists()


def test_assigning_a_reviewer_to_a_draft_is_no_review_request(draft, editor, reviewer):
    workflow.assign(draft, by=editor, version=draft.version, reviewer=reviewer)
    assert not Notification.objects.exists()


def test_a_mention_counts_once_per_person_and_event(draft, editor, reviewer):
    workflow.comment(draft, by=editor, text=f"@{reviewer.username} @{reviewer.username}!")
    notification = Notification.objects.get()
    assert notification.kind == Kind.MENTIONED
    assert notification.message.startswith(f"{editor.username} mentioned you on “")


def test_the_message_is_a_sentence_with_the_actor_and_the_claim(draft, editor, other_editor):
    workflow.assign(draft, by=editor, version=draft.version, assignee=other_editor)
    notification = Notification.objects.get()
    assert notification.message == (
        f"{editor.username} assigned you “unemployment fell by 3 percent last year”"
    )
    assert (notification.actor, notification.claim, notification.event.action) == (
        editor,
        draft,
        "assigned",
    )


# --- preferences -----------------------------------------------------------


def test_a_kind_switched_off_in_the_inbox_is_emailed_only(
    draft, editor, other_editor, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    NotificationPreference.objects.create(
        user=other_editor, kind=Kind.ASSIGNED, inbox=False, email=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(draft, by=editor, version=draft.version, assignee=other_editor)
    run_tasks()

    notification = Notification.objects.get()
    assert not notification.in_inbox and notification.emailed_at is not None
    assert list(notifications.inbox(other_editor)) == []
    assert notifications.unread_count(other_editor) == 0
    assert len(mailoutbox) == 1


def test_a_kind_switched_off_by_email_stays_in_the_inbox_only(
    draft, editor, other_editor, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    NotificationPreference.objects.create(
        user=other_editor, kind=Kind.ASSIGNED, inbox=True, email=False
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.assign(draft, by=editor, version=draft.version, assignee=other_editor)

    assert callbacks == [] and run_tasks() == 0 and mailoutbox == []
    assert notifications.unread_count(other_editor) == 1


def test_a_kind_switched_off_entirely_writes_nothing(draft, editor, other_editor):
    NotificationPreference.objects.create(
        user=other_editor, kind=Kind.ASSIGNED, inbox=False, email=False
    )
    workflow.assign(draft, by=editor, version=draft.version, assignee=other_editor)
    assert not Notification.objects.exists()


def test_a_mention_still_reaches_someone_who_switched_the_events_kind_off(
    in_review, editor, reviewer
):
    NotificationPreference.objects.create(
        user=editor, kind=Kind.CHANGES_REQUESTED, inbox=False, email=False
    )
    workflow.request_changes(
        in_review, by=reviewer, version=in_review.version, comment=f"@{editor.username} fix it"
    )
    assert received() == {(editor.username, Kind.MENTIONED)}


# --- email -------------------------------------------------------------------


def test_the_email_is_queued_only_when_the_step_commits(
    draft, editor, reviewer, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.comment(draft, by=editor, text=f"@{reviewer.username} please look")
        # Written, but not sent before the commit.
        assert Notification.objects.count() == 1
        assert run_tasks() == 0

    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert run_tasks() == 1
    assert [message.to for message in mailoutbox] == [[reviewer.email]]


def test_a_rolled_back_step_notifies_and_sends_nothing(
    draft, editor, reviewer, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.comment(draft, by=editor, text=f"@{reviewer.username} please look")
        raise RuntimeError("the request failed after the comment")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert run_tasks() == 0 and mailoutbox == []


def test_the_email_says_what_happened_and_links_to_the_claim(
    settings, draft, editor, reviewer, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    settings.SITE_URL = "https://desk.example.org/"
    settings.DEFAULT_FROM_EMAIL = "desk@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(draft, by=editor, text=f"@{reviewer.username} is the source right?")
    run_tasks()

    [email] = mailoutbox
    assert (
        email.subject == "[Factcheck] You were mentioned: unemployment fell by 3 percent last year"
    )
    assert email.from_email == "desk@example.org" and email.to == [reviewer.email]
    assert (
        f"{editor.username} mentioned you on “unemployment fell by 3 percent last year”: "
        f"“@{reviewer.username} is the source right?”" in email.body
    )
    assert f"https://desk.example.org{draft.get_absolute_url()}" in email.body
    assert "https://desk.example.org/inbox/settings/" in email.body
    assert Notification.objects.get().emailed_at is not None


def test_an_email_is_never_sent_twice(
    draft, editor, reviewer, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(draft, by=editor, text=f"@{reviewer.username} look")
    notification = Notification.objects.get()
    tasks.email_notification.enqueue(notification.pk)  # queued twice by mistake

    assert run_tasks() == 2
    assert len(mailoutbox) == 1
    assert tasks.email_notification.call(notification.pk) == "nothing to do"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_email_that_cannot_be_sent_is_retried_later(
    settings, draft, editor, reviewer, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(draft, by=editor, text=f"@{reviewer.username} look")
    notification = Notification.objects.get()

    outcome = tasks.email_notification.call(notification.pk)

    assert outcome == "retrying: Connection unexpectedly closed"
    notification.refresh_from_db()
    assert notification.emailed_at is None
    retry = DBTaskResult.objects.filter(task_path="annotations.tasks.email_notification").latest(
        "enqueued_at"
    )
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after is not None


def test_no_email_address_means_no_email_and_no_retry(
    draft, editor, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    silent = factories.EditorFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(draft, by=editor, text=f"@{silent.username} look")
    run_tasks()
    assert mailoutbox == []
    assert Notification.objects.get().emailed_at is not None


def _mailer(monkeypatch, **env: str) -> dict:
    """The default mailer the settings module builds from ``env``."""
    monkeypatch.setenv("FACTCHECK_ENV_FILE", "/nonexistent")
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings_module.__file__))["MAILERS"]["default"]


def test_email_is_printed_in_development_and_sent_by_smtp_from_the_environment(monkeypatch):
    assert (
        _mailer(monkeypatch, DEBUG="1")["BACKEND"]
        == "django.core.mail.backends.console.EmailBackend"
    )
    smtp = _mailer(
        monkeypatch,
        DEBUG="0",
        SECRET_KEY="x",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="desk",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="1",
    )
    assert smtp["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp["OPTIONS"] | {"timeout": 0} == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "desk",
        "password": "secret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 0,
    }


# --- mention parsing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@reviewer please look", ["reviewer"]),
        ("please look, @reviewer.", ["reviewer"]),
        ("(@reviewer) and @editor-2, @a.b+c", ["reviewer", "editor-2", "a.b+c"]),
        ("@reviewer @reviewer", ["reviewer"]),
        ("mail someone@example.org", []),
        ("@", []),
        ("@ reviewer", []),
        ("@rédactrice vérifie", ["rédactrice"]),
        ("line one\n@reviewer", ["reviewer"]),
        ("@reviewer's source", ["reviewer"]),
        ("", []),
    ],
)
def test_mentions_are_usernames_after_an_at_sign(text, names):
    assert notifications.mentioned_usernames(text) == names


def test_mention_parts_emphasise_only_known_people():
    parts = notifications.mention_parts("Hi @reviewer and @ghost.", {"reviewer"})
    assert parts == [
        {"text": "Hi ", "mention": False},
        {"text": "@reviewer", "mention": True},
        {"text": " and @ghost.", "mention": False},
    ]
