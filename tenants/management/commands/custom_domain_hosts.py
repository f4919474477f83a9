"""Print the verified custom domains as Helm values (tls.customDomains.hosts), so that
each gets an Ingress and a cert-manager certificate: see helm/values.yaml."""

import json

from django.core.management.base import BaseCommand

from tenants.selectors import custom_domain_search


class Command(BaseCommand):
    help = "Print verified custom domains as Helm values for tls.customDomains.hosts."

    def handle(self, *args, **options):
        hosts = sorted(custom_domain_search(status="verified").values_list("domain", flat=True))
        lines = ["tls:", "  customDomains:", "    hosts:" + ("" if hosts else " []")]
        # JSON strings are valid YAML scalars and need no escaping rules of their own.
        lines += [f"      - {json.dumps(host)}" for host in hosts]
        self.stdout.write("\n".join(lines))
