from .lifecycle import tenant_delete, tenant_resume, tenant_suspend
from .provisioning import tenant_provision

__all__ = ["tenant_provision", "tenant_suspend", "tenant_resume", "tenant_delete"]
