"""Team management: admins invite people by email, set roles, deactivate and
reactivate accounts; invitees accept a one-time link; everyone can reset a
forgotten password by email."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations import permissions, team
from annotations.models import Invitation, TeamEvent
from tests import factories
from tests.conftest import in_thread

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a-long-desk-passphrase-42"
INVITE_LINK = re.compile(r"http://testserver/accounts/invitation/[\w-]+/")
RESET_LINK = re.compile(r"http://testserver/accounts/password-reset/[\w-]+/[\w-]+/")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


def admin_client(client, user):
    client.force_login(user)
    return client


def logs_in(client, username: str, password: str) -> bool:
    """Log in through the login form (the lockout needs a request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def invite(client, email="new.person@example.org", roles=("editor",), username=""):
    return client.post(
        reverse("annotations:invitation_create"),
        {"email": email, "roles": list(roles), "username": username},
    )


def link_in(message) -> str:
    match = INVITE_LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def accept(client, link, username="newperson", password=PASSWORD, **extra):
    return client.post(
        link, {"username": username, "password1": password, "password2": password, **extra}
    )


# Who may manage the team.


@pytest.mark.parametrize(
    ("who", "admin"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("editor", False),
        ("reviewer", False),
        ("desk_admin", True),
        ("superuser", True),
    ],
)
def test_admins_and_superusers_manage_the_team(request, who, admin):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert permissions.is_desk_admin(user) is admin
    assert permissions.can_manage_team(user) is admin
    assert permissions.has_role(user, permissions.ADMIN) is admin


def test_the_admin_role_gives_no_right_over_claims(db):
    admin_only = factories.DeskAdminFactory(role=[permissions.ADMIN])
    assert permissions.can_manage_team(admin_only)
    assert not permissions.is_editor(admin_only)


def test_a_deactivated_admin_manages_nothing(desk_admin):
    desk_admin.is_active = False
    assert not permissions.can_manage_team(desk_admin)


def team_requests(member, invitation):
    return [
        ("get", reverse("annotations:team"), {}),
        (
            "post",
            reverse("annotations:invitation_create"),
            {"email": "x@example.org", "roles": ["editor"]},
        ),
        ("post", reverse("annotations:invitation_resend", args=[invitation.pk]), {}),
        ("post", reverse("annotations:invitation_revoke", args=[invitation.pk]), {}),
        ("post", reverse("annotations:member_roles", args=[member.pk]), {"roles": ["admin"]}),
        ("post", reverse("annotations:member_deactivate", args=[member.pk]), {}),
        ("post", reverse("annotations:member_reactivate", args=[member.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["outsider", "editor", "reviewer"])
def test_non_admins_get_403_on_every_team_view(request, client, desk_admin, who):
    user = request.getfixturevalue(who)
    invitation, _ = team.invite(by=desk_admin, email="pending@example.org", roles=["editor"])
    client.force_login(user)
    events = TeamEvent.objects.count()
    for method, url, data in team_requests(user, invitation):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert TeamEvent.objects.count() == events
    assert Invitation.objects.count() == 1
    assert team.roles_of(user) == team.roles_of(User.objects.get(pk=user.pk))
    assert not permissions.is_desk_admin(User.objects.get(pk=user.pk))
    assert len(mail.outbox) == 0


def test_anonymous_visitors_are_sent_to_log_in(client, desk_admin):
    invitation, _ = team.invite(by=desk_admin, email="pending@example.org", roles=["editor"])
    for method, url, data in team_requests(desk_admin, invitation):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert TeamEvent.objects.count() == 1


def test_team_writes_need_csrf(desk_admin, editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_admin)
    response = client.post(reverse("annotations:member_deactivate", args=[editor.pk]))
    assert response.status_code == 403
    editor.refresh_from_db()
    assert editor.is_active


def test_team_link_in_the_header_only_for_admins(client, desk_admin, editor):
    team_url = reverse("annotations:team")
    client.force_login(editor)
    assert f'href="{team_url}"' not in client.get(reverse("annotations:article_list")).text
    client.force_login(desk_admin)
    assert f'href="{team_url}"' in client.get(reverse("annotations:article_list")).text


# Invitations.


def test_invitation_emails_a_one_time_link_and_stores_only_its_hash(client, desk_admin):
    response = invite(admin_client(client, desk_admin), roles=("editor", "reviewer"))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert "invited to join" in message.subject
    assert "editor and reviewer" in message.body
    assert "expires in 7 days" in message.body
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.roles == ["editor", "reviewer"]
    assert invitation.invited_by == desk_admin
    assert invitation.state == Invitation.State.PENDING
    event = TeamEvent.objects.get()
    assert (event.action, event.actor, event.invitation) == ("invited", desk_admin, invitation)
    page = client.get(reverse("annotations:team")).text
    assert "new.person@example.org" in page and "Resend" in page


def test_invitee_accepts_then_logs_in_with_the_roles_given(client, desk_admin):
    invite(admin_client(client, desk_admin), roles=("reviewer",))
    link = link_in(mail.outbox[0])
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "new.person@example.org" in page.text
    response = accept(client, link, first_name="New", last_name="Person")
    assert response.status_code == 302 and response.url == reverse("login")
    user = User.objects.get(username="newperson")
    assert user.is_active and user.email == "new.person@example.org"
    assert user.get_full_name() == "New Person"
    assert permissions.is_reviewer(user) and not permissions.is_desk_admin(user)
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.ACCEPTED and invitation.accepted_by == user
    assert TeamEvent.objects.filter(action="joined", actor=user, user=user).exists()
    assert logs_in(client, "newperson", PASSWORD)
    assert client.get(reverse("annotations:article_list")).status_code == 200


def test_a_used_link_shows_a_clear_page_and_writes_nothing(client, desk_admin):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    client.logout()
    accept(client, link)
    for response in (client.get(link), accept(client, link, username="someone-else")):
        assert response.status_code == 410
        assert "already been used" in response.text
    assert not User.objects.filter(username="someone-else").exists()
    assert TeamEvent.objects.filter(action="joined").count() == 1


def test_an_expired_link_shows_a_clear_page_and_writes_nothing(client, desk_admin):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.logout()
    for response in (client.get(link), accept(client, link)):
        assert response.status_code == 410
        assert "expired" in response.text
    assert not User.objects.filter(username="newperson").exists()


def test_a_tampered_link_shows_a_clear_page_and_writes_nothing(client, desk_admin):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    client.logout()
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    for response in (client.get(tampered), accept(client, tampered)):
        assert response.status_code == 404
        assert "not valid" in response.text
    assert not User.objects.filter(username="newperson").exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_a_weak_password_is_refused_and_nothing_is_written(client, desk_admin):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    client.logout()
    response = accept(client, link, password="password")
    assert response.status_code == 422
    assert "too common" in response.text
    assert not User.objects.filter(username="newperson").exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_the_user_name_an_admin_chose_is_kept(client, desk_admin):
    invite(admin_client(client, desk_admin), username="maria")
    link = link_in(mail.outbox[0])
    assert '"maria"' in mail.outbox[0].body
    client.logout()
    assert accept(client, link, username="somethingelse").status_code == 302
    assert User.objects.filter(username="maria").exists()
    assert not User.objects.filter(username="somethingelse").exists()


def test_a_taken_user_name_is_refused_on_accepting(client, desk_admin, editor):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    client.logout()
    response = accept(client, link, username=editor.username.upper())
    assert response.status_code == 422
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_a_signed_in_person_cannot_accept_for_a_new_account(client, desk_admin):
    invite(admin_client(client, desk_admin))
    response = accept(client, link_in(mail.outbox[0]))
    assert response.status_code == 409
    assert Invitation.objects.get().state == Invitation.State.PENDING


@pytest.mark.parametrize("email", ["EDITOR@example.org", "pending@EXAMPLE.org"])
def test_inviting_an_address_with_an_account_or_invitation_is_refused(client, desk_admin, email):
    factories.EditorFactory(email="editor@example.org")
    team.invite(by=desk_admin, email="pending@example.org", roles=["editor"])
    response = invite(admin_client(client, desk_admin), email=email)
    assert response.status_code == 422
    assert "already" in response.text
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 0


def test_inviting_a_deactivated_persons_address_points_to_reactivation(client, desk_admin):
    factories.EditorFactory(username="gone", email="gone@example.org", is_active=False)
    response = invite(admin_client(client, desk_admin), email="gone@example.org")
    assert response.status_code == 422
    assert "reactivate them instead" in response.text
    assert not Invitation.objects.exists()


def test_an_invitation_needs_a_role(client, desk_admin):
    response = invite(admin_client(client, desk_admin), roles=())
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_resending_replaces_the_link(client, desk_admin):
    invite(admin_client(client, desk_admin))
    old_link = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation = Invitation.objects.get()
    response = client.post(reverse("annotations:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    assert Invitation.objects.get().state == Invitation.State.PENDING
    client.logout()
    assert client.get(old_link).status_code == 404
    assert accept(client, new_link).status_code == 302
    assert TeamEvent.objects.filter(action="invitation_resent").count() == 1


def test_revoking_an_invitation_stops_its_link(client, desk_admin):
    invite(admin_client(client, desk_admin))
    link = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    client.post(reverse("annotations:invitation_revoke", args=[invitation.pk]))
    assert Invitation.objects.get().state == Invitation.State.REVOKED
    assert "Invitations not yet accepted" not in client.get(reverse("annotations:team")).text
    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "withdrawn" in response.text
    # The address may be invited again.
    admin_client(client, desk_admin)
    assert invite(client).status_code == 302


def test_a_failed_email_keeps_the_invitation_to_resend(client, desk_admin, settings):
    # A mail server nobody listens on (the discard port).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    response = invite(admin_client(client, desk_admin))
    assert response.status_code == 302
    assert "could not be sent" in client.get(reverse("annotations:team")).text
    assert Invitation.objects.get().state == Invitation.State.PENDING


# Roles.


def test_an_admin_sets_roles_and_the_change_is_recorded(client, desk_admin, editor):
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_roles", args=[editor.pk]), {"roles": ["reviewer", "admin"]}
    )
    assert response.status_code == 302
    editor = User.objects.get(pk=editor.pk)
    assert team.roles_of(editor) == ["reviewer", "admin"]
    assert permissions.is_reviewer(editor) and permissions.is_desk_admin(editor)
    event = TeamEvent.objects.get()
    assert (event.action, event.actor, event.user) == ("roles_changed", desk_admin, editor)
    assert event.changes == {"roles": [["editor"], ["reviewer", "admin"]]}
    assert "editor → reviewer, admin" in client.get(reverse("annotations:team")).text


def test_the_last_admin_cannot_drop_their_admin_role(client, desk_admin):
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_roles", args=[desk_admin.pk]), {"roles": ["editor"]}
    )
    assert response.status_code == 409
    assert "last admin" in response.text
    assert permissions.is_desk_admin(User.objects.get(pk=desk_admin.pk))
    assert not TeamEvent.objects.exists()


def test_an_admin_may_drop_their_admin_role_when_another_remains(client, desk_admin):
    factories.DeskAdminFactory()
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_roles", args=[desk_admin.pk]), {"roles": ["editor"]}
    )
    assert response.status_code == 302 and response.url == reverse("annotations:article_list")
    assert not permissions.is_desk_admin(User.objects.get(pk=desk_admin.pk))


def test_a_desk_admin_cannot_change_a_superuser(client, desk_admin, superuser):
    client = admin_client(client, desk_admin)
    for url, data in [
        (reverse("annotations:member_roles", args=[superuser.pk]), {"roles": ["editor"]}),
        (reverse("annotations:member_deactivate", args=[superuser.pk]), {}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 409 and "superuser" in response.text
    superuser.refresh_from_db()
    assert superuser.is_active and team.roles_of(superuser) == []


def test_an_unknown_role_is_refused(client, desk_admin, editor):
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_roles", args=[editor.pk]), {"roles": ["owner"]}
    )
    assert response.status_code == 422
    assert team.roles_of(User.objects.get(pk=editor.pk)) == ["editor"]


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(isolated):
    def scenario():
        first, second = factories.DeskAdminFactory(), factories.DeskAdminFactory()
        # As in a request, each actor's roles were read before the change
        # began: only the lock and the last-admin rule can stop the second.
        assert permissions.is_desk_admin(first) and permissions.is_desk_admin(second)
        start = threading.Barrier(2)
        outcomes: list[list] = [[], []]
        threads = [
            in_thread(
                lambda by=by, target=target: team.set_roles(target, by=by, roles=["editor"]),
                outcome,
                start=start,
            )
            for by, target, outcome in [(first, second, outcomes[0]), (second, first, outcomes[1])]
        ]
        for thread in threads:
            thread.join(30)
        results = [outcome[0] for outcome in outcomes]
        refusals = [r for r in results if isinstance(r, team.Refused)]
        assert len(refusals) == 1 and "last admin" in refusals[0].message, results
        admins = [u for u in User.objects.all() if permissions.is_desk_admin(u)]
        assert len(admins) == 1
        assert TeamEvent.objects.filter(action="roles_changed").count() == 1

    isolated(scenario)


# Deactivation.


def test_an_admin_cannot_deactivate_themself(client, desk_admin):
    factories.DeskAdminFactory()
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_deactivate", args=[desk_admin.pk])
    )
    assert response.status_code == 409 and "yourself" in response.text
    desk_admin.refresh_from_db()
    assert desk_admin.is_active


def test_a_deactivated_user_cannot_log_in_and_their_token_and_session_stop(
    client, desk_admin, editor
):
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/",
        {"username": editor.username, "password": "correct-horse-battery"},
        format="json",
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/claims/1/history/").status_code == 404
    from django.test import Client

    editor_session = Client()
    editor_session.force_login(editor)
    assert editor_session.get(reverse("annotations:dashboard")).status_code == 200

    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_deactivate", args=[editor.pk])
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    assert api.get("/api/v1/claims/1/history/").status_code == 401
    assert not Token.objects.filter(user=editor).exists()
    assert editor_session.get(reverse("annotations:dashboard")).status_code == 302
    login = Client().post(
        reverse("login"), {"username": editor.username, "password": "correct-horse-battery"}
    )
    assert login.status_code == 200 and not login.wsgi_request.user.is_authenticated
    assert TeamEvent.objects.get().action == "deactivated"
    assert "Deactivated" in client.get(reverse("annotations:team")).text


def test_a_reactivated_user_logs_in_again(client, desk_admin, editor):
    team.set_active(editor, by=desk_admin, active=False)
    response = admin_client(client, desk_admin).post(
        reverse("annotations:member_reactivate", args=[editor.pk])
    )
    assert response.status_code == 302
    client.logout()
    assert logs_in(client, editor.username, "correct-horse-battery")
    assert [event.action for event in TeamEvent.objects.order_by("id")] == [
        "deactivated",
        "reactivated",
    ]


# The team page.


def test_the_team_page_lists_people_invitations_and_changes_in_few_queries(
    client, desk_admin, django_assert_max_num_queries
):
    for _ in range(5):
        factories.EditorFactory()
        factories.ReviewerFactory()
    for n in range(3):
        team.invite(by=desk_admin, email=f"person{n}@example.org", roles=["editor"])
    client = admin_client(client, desk_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("annotations:team"))
    assert response.status_code == 200
    assert response.text.count("Save roles") == 11
    assert "person2@example.org" in response.text
    assert response.text.count("Deactivate<") == 10


# Password reset, for everyone.


def test_password_reset_by_email(client, editor):
    editor.email = "editor@example.org"
    editor.save()
    login_page = client.get(reverse("login")).text
    assert f'href="{reverse("password_reset")}"' in login_page
    assert "Forgot your password?" in login_page
    response = client.post(reverse("password_reset"), {"email": "EDITOR@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "Reset your Factcheck password"
    link = RESET_LINK.search(message.body).group(0)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert logs_in(client, editor.username, PASSWORD)
    client.logout()
    assert "This link does not work" in client.get(link, follow=True).text


def test_password_reset_sends_nothing_to_a_deactivated_account(client, editor):
    editor.email = "editor@example.org"
    editor.is_active = False
    editor.save()
    response = client.post(reverse("password_reset"), {"email": "editor@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_emails_are_capped_per_address(client, editor):
    editor.email = "editor@example.org"
    editor.save()
    for _ in range(7):
        response = client.post(reverse("password_reset"), {"email": "editor@example.org"})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 5


def test_demo_users_include_a_team_admin(db):
    call_command("create_demo_users", verbosity=0, password=PASSWORD)
    admin = User.objects.get(username="admin")
    assert permissions.is_desk_admin(admin) and permissions.is_editor(admin)
    assert not permissions.is_desk_admin(User.objects.get(username="editor"))


@pytest.mark.parametrize("model", ["teamevent", "invitation"])
def test_superusers_read_the_team_records_in_the_django_admin(admin_client, desk_admin, model):
    invitation, _ = team.invite(by=desk_admin, email="pending@example.org", roles=["editor"])
    changelist = admin_client.get(reverse(f"admin:annotations_{model}_changelist"))
    assert changelist.status_code == 200 and "pending@example.org" in changelist.text
    assert invitation.token_hash not in changelist.text
