"""API tokens: issued by ``POST /api/v1/auth/token/`` behind the login
lockout, valid for FACTCHECK_TOKEN_TTL_DAYS, revoked by their owner with
``DELETE`` on the same URL (admins delete them in the admin's Tokens list)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import serializers
from annotations.api.authentication import expires_at, has_expired
from annotations.api.views import errors
from factcheck.lockout import lockout_message, retry_after_seconds


class LockedOut(exceptions.Throttled):
    default_code = "locked_out"


@extend_schema_view(
    post=extend_schema(
        summary="Get an API token",
        description="Any account: send `username` and `password`, then use the token as "
        "`Authorization: Token <token>` until `expires` "
        f"({settings.FACTCHECK_TOKEN_TTL_DAYS} days after it was issued; asking again "
        "after that issues a new one). Failed attempts are counted per user name and per "
        "client address: after too many, this answers 429 with `Retry-After` for every "
        "attempt, right or wrong, until the lockout ends.",
        request=serializers.TokenRequestSerializer,
        responses={200: serializers.TokenSerializer, **errors(400)},
    ),
    delete=extend_schema(
        summary="Revoke your API token",
        description="Deletes the token you are calling with (or, from a session, your "
        "token); it stops working at once.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **errors(401)},
    ),
)
class TokenView(APIView):
    throttle_classes = ()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(
                    wait=retry_after_seconds(request), detail=lockout_message(request)
                ) from None
            raise
        user = serializer.validated_data["user"]
        # As a session login does: resets the failure count, records last_login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        if has_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires": expires_at(token)})

    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
