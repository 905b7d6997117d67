"""The OpenAPI generator, taught which operations anyone may call.

drf-spectacular marks an operation as open to anonymous callers (security
``{}``) only for DRF's own permission classes; ours says reads are public
except the editor-only actions, and the token endpoint is open by nature.
Schemathesis checks that what the schema calls protected answers 401/403
without credentials.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._open_to_anonymous():
            auths.append({})
        return auths

    def _open_to_anonymous(self) -> bool:
        from annotations.api.views import IsEditorOrReadOnly

        permissions = self.view.get_permissions()
        if not permissions:
            return True
        action = getattr(self.view, "action", None)
        return (
            self.method in SAFE_METHODS
            and all(isinstance(permission, IsEditorOrReadOnly) for permission in permissions)
            and action not in getattr(self.view, "editor_only_actions", ())
        )

    def _map_basic_serializer(self, serializer, direction):
        from annotations.api.serializers import StrictSerializer

        schema = super()._map_basic_serializer(serializer, direction)
        internal = getattr(serializer, "INTERNAL_FIELDS", ())
        if internal and "required" in schema:
            # Left out of the public representation: present for editors only.
            schema["required"] = [name for name in schema["required"] if name not in internal]
            if not schema["required"]:
                del schema["required"]
        if isinstance(serializer, StrictSerializer):
            # Such serializers refuse unknown keys; say so.
            schema["additionalProperties"] = False
        return schema
