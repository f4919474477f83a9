"""Who may call the API at all. Object rules (who may change which record) stay in the
services, which every API view calls."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from shared_apps.accounts.models import Role
from shared_apps.accounts.rules import current_membership

from ..models import ApiKey


class ReadOnlyKey(exceptions.PermissionDenied):
    default_detail = _("This API key may only read.")
    default_code = "read_only_key"


class ReadOnlyMember(exceptions.PermissionDenied):
    default_detail = _("Your role in this workspace may only read.")
    default_code = "permission_denied"


class IsWorkspaceMember(permissions.BasePermission):
    """Authenticated, a member of the workspace of this host; read-only keys and
    read-only members may only use safe methods."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if current_membership(user) is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiKey) and request.auth.scope != ApiKey.Scope.READ_WRITE:
            raise ReadOnlyKey()
        if current_membership(user).role == Role.READ_ONLY:
            raise ReadOnlyMember()
        return True
