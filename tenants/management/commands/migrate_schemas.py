"""django-tenants' migrate_schemas, plus the template schema and the spare pool.

After the tenants are migrated, the template schema is created if missing and migrated
like a tenant, then spares made from an older migration state are replaced.
"""

from django.conf import settings
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants.provisioning.pool import spare_pool_refill
from tenants.provisioning.template import template_ensure, template_schema_name


class Command(MigrateSchemasCommand):
    help = MigrateSchemasCommand.help + " Also keeps the tenant template schema and spare pool current."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        whole_run = self.sync_tenant and not options.get("schema_name") and not options.get("app_label")
        if not whole_run or options.get("fake") or options.get("plan") or options.get("check_unapplied"):
            return
        verbosity = int(options.get("verbosity", 1))
        template_ensure(verbosity=max(0, verbosity - 1))
        connection.set_schema_to_public()
        made = spare_pool_refill()
        if verbosity:
            self.stdout.write(
                f"Template schema {template_schema_name()} is current; "
                f"{made} spare schema(s) made (pool size {settings.TENANT_SPARE_POOL_SIZE})."
            )
