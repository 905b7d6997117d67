from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from annotations import permissions

# The admin also edits, so that logging in lands in the workspace as usual.
DEMO_USERS = {
    "editor": (permissions.EDITOR,),
    "reviewer": (permissions.REVIEWER,),
    "admin": (permissions.EDITOR, permissions.ADMIN),
}


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users 'editor', 'reviewer' and 'admin' (editor and team "
        "admin). For local use only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "factcheck-demo"),
            help="Defaults to $DEMO_PASSWORD, else 'factcheck-demo'.",
        )

    def handle(self, *args, password: str, **options) -> None:
        User = get_user_model()
        for username, roles in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_active = True
            user.save()
            user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
            self.stdout.write(
                f"{'created' if created else 'updated'} demo user {username} ({', '.join(roles)})"
            )
