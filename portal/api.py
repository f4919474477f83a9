"""REST API of portal access for staff (writers, like the contact page's buttons):

GET  /api/v1/portal/accesses/                the workspace's portal users, newest first, a
                                             page at a time (?size, ?cursor; {next, results})
POST /api/v1/portal/accesses/  {contact}     invite a contact by its e-mail (201)
POST /api/v1/portal/accesses/{id}/disable/   close a customer's access
Refusals come in the API's error shape: 409 already_active, email_in_use, already_disabled;
400 contact_without_email; 402 when the plan has no portal; 404 for a contact not visible."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.rules import can
from tenant_apps.contacts.selectors import contact_get
from tenant_apps.integrations.api.permissions import IsWorkspaceMember
from tenant_apps.records.errors import RecordNotFound

from .models import PortalAccess
from .selectors import portal_accesses_list
from .services import portal_access_disable, portal_access_invite


class CanInvite(BasePermission):
    def has_permission(self, request, view):
        return can(request.user, "portal.invite")


class PortalAccessSerializer(serializers.ModelSerializer):
    contact = serializers.IntegerField(source="contact_id")
    contact_name = serializers.CharField(source="contact.__str__")
    email = serializers.EmailField(source="user.email")
    status = serializers.ChoiceField(choices=PortalAccess.Status.choices)

    class Meta:
        model = PortalAccess
        fields = ["id", "contact", "contact_name", "email", "status", "invited_at", "activated_at", "last_login_at",
                  "created_at"]


class InviteSerializer(serializers.Serializer):
    contact = serializers.IntegerField(help_text="The contact's id; its primary e-mail address is invited.")


class PortalAccessListApi(mixins.ListModelMixin, generics.GenericAPIView):
    """Paged like every other list of the API (the default keyset pagination)."""

    permission_classes = [IsWorkspaceMember, CanInvite]
    serializer_class = PortalAccessSerializer

    def get_queryset(self):
        # Only the portal users of contacts this member may see (a sales rep limited to
        # their own records sees their own customers'), like the disable endpoint.
        return portal_accesses_list(user=self.request.user)

    @extend_schema(operation_id="portal_accesses_list", summary="The workspace's portal users")
    def get(self, request):
        return self.list(request)

    @extend_schema(operation_id="portal_accesses_create", summary="Invite a contact to the customer portal",
                   request=InviteSerializer,
                   responses={201: PortalAccessSerializer,
                              402: OpenApiResponse(description="The plan has no customer portal"),
                              409: OpenApiResponse(description="Already active, or the address has access as another contact")})
    def post(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_get(user=request.user, pk=data.validated_data["contact"])
        access = portal_access_invite(contact=contact, actor=request.user)
        return Response(PortalAccessSerializer(access).data, status=status.HTTP_201_CREATED)


class PortalAccessDisableApi(APIView):
    permission_classes = [IsWorkspaceMember, CanInvite]

    @extend_schema(operation_id="portal_accesses_disable", summary="Disable a customer's portal access",
                   request=None, responses={200: PortalAccessSerializer,
                                            409: OpenApiResponse(description="Already disabled")})
    def post(self, request, pk):
        access = portal_accesses_list().filter(pk=pk).first()
        if access is None:
            raise RecordNotFound()
        # The contact must be visible to the caller, as on the contact's page.
        contact_get(user=request.user, pk=access.contact_id)
        access = portal_access_disable(access=access, actor=request.user)
        return Response(PortalAccessSerializer(access).data)
