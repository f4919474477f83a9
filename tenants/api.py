"""REST API of a workspace's domains (owners and admins, or their API keys):
/api/v1/domains/ list and add, /api/v1/domains/<id>/ read and remove, and the actions
verify (look the TXT record up now) and primary. The rules are the settings page's
(tenants.services.domains)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from shared_apps.accounts.rules import can
from tenant_apps.integrations.api.errors import error_body
from tenant_apps.integrations.api.permissions import IsWorkspaceMember
from tenant_apps.integrations.api.serializers import UTCDateTimeField
from tenant_apps.records.errors import RecordNotFound

from .models import Domain
from .selectors import domain_get, domain_instructions
from .services.domains import domain_add, domain_make_primary, domain_remove, domain_verify


class CanManageDomains(BasePermission):
    def has_permission(self, request, view):
        return can(request.user, "workspace.change_settings")


class DnsRecordsSerializer(serializers.Serializer):
    txt_name = serializers.CharField(help_text="Create a TXT record at this name…")
    txt_value = serializers.CharField(help_text="…with this value; then call verify.")
    cname_name = serializers.CharField()
    cname_target = serializers.CharField(help_text="Point the domain here (CNAME) so that it reaches the workspace.")


class DomainSerializer(serializers.ModelSerializer):
    is_platform = serializers.BooleanField(read_only=True, help_text="The workspace's own address: cannot be removed.")
    last_error_message = serializers.CharField(read_only=True, allow_blank=True)
    dns_records = serializers.SerializerMethodField()
    verified_at = UTCDateTimeField(read_only=True, allow_null=True)
    last_checked_at = UTCDateTimeField(read_only=True, allow_null=True)
    proof_missing_since = UTCDateTimeField(
        read_only=True, allow_null=True,
        help_text="A verified domain whose TXT record the daily re-check no longer finds: since when. "
                  "It is released DOMAIN_PROOF_GRACE_DAYS (7) days later unless the record is restored.")
    created_at = UTCDateTimeField(read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "domain", "surface", "is_platform", "is_primary", "is_verified", "verified_at",
                  "last_checked_at", "last_error", "last_error_message", "proof_missing_since", "dns_records",
                  "created_at"]
        read_only_fields = fields

    @extend_schema_field(DnsRecordsSerializer(allow_null=True))
    def get_dns_records(self, domain):
        if domain.is_platform:
            return None
        return DnsRecordsSerializer(domain_instructions(domain)).data


class DomainInputSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=300, help_text="A host name such as crm.example.com (IDNA allowed).")
    surface = serializers.ChoiceField(choices=Domain.Surface.choices, default=Domain.Surface.APP)


def _domain(request, pk) -> Domain:
    domain = domain_get(tenant=request.tenant, pk=pk)
    if domain is None:
        raise RecordNotFound()
    return domain


@extend_schema_view(
    list=extend_schema(summary="The workspace's domains: its own addresses and custom ones"),
    retrieve=extend_schema(summary="One domain, with the DNS records it needs"),
    create=extend_schema(summary="Add a custom domain (unverified until its TXT record is checked)",
                         request=DomainInputSerializer, responses={201: DomainSerializer}),
    destroy=extend_schema(summary="Remove a custom domain; it stops routing at once", responses={204: None}),
)
class DomainViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DomainSerializer
    permission_classes = [IsWorkspaceMember, CanManageDomains]
    http_method_names = ["get", "post", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Domain.objects.none()
        return Domain.objects.filter(tenant=self.request.tenant).select_related("tenant").order_by("surface", "domain", "pk")

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(_domain(request, pk)).data)

    def create(self, request):
        incoming = DomainInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        domain = domain_add(
            tenant=request.tenant, hostname=incoming.validated_data["domain"],
            surface=incoming.validated_data["surface"], actor=request.user, request=request,
        )
        return Response(self.get_serializer(_domain(request, domain.pk)).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        domain_remove(domain=_domain(request, pk), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses={200: DomainSerializer},
        summary="Check the TXT record now: 200 with the verified domain, or 409 with the reason "
                "(dns_nxdomain, dns_no_record, dns_wrong_value, dns_timeout, dns_error)",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        domain = domain_verify(domain=_domain(request, pk), actor=request.user, request=request)
        if not domain.is_verified:
            # The failed check is recorded on the domain (last_checked_at, last_error).
            return Response(error_body(domain.last_error, domain.last_error_message), status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(domain).data)

    @extend_schema(request=None, responses={200: DomainSerializer},
                   summary="Make a verified domain the one the workspace's links use for its surface")
    @action(detail=True, methods=["post"])
    def primary(self, request, pk=None):
        domain = domain_make_primary(domain=_domain(request, pk), actor=request.user, request=request)
        return Response(self.get_serializer(_domain(request, domain.pk)).data)
