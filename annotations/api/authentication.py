"""Token authentication with an expiry (FACTCHECK_TOKEN_TTL_DAYS)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from annotations import permissions


def expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.FACTCHECK_TOKEN_TTL_DAYS)


def has_expired(token: Token) -> bool:
    return expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …``, refused once the token is older than the TTL."""

    def authenticate_credentials(self, key):
        # DRF's lookup, with the user's roles read in the same query.
        try:
            token = permissions.with_roles(Token.objects.select_related("user")).get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        permissions.adopt_roles(user, token)
        if has_expired(token):
            raise exceptions.AuthenticationFailed(
                "The token has expired; ask for a new one at /api/v1/auth/token/."
            )
        return user, token
