"""Custom domains: how many a workspace may add, which hosts are never allowed, and how
their DNS TXT challenge is looked up (tenants/dns.py, tenants/services/domains.py).

DOMAIN_TXT_RESOLVER is a dotted path to a callable (name) -> list of TXT strings; the
default asks DNS with dnspython. DOMAIN_DNS_NAMESERVERS (comma-separated IPs, with
DOMAIN_DNS_PORT) asks those servers instead of the system's. DOMAIN_CNAME_TARGET is the
host customers point their CNAME at (the ingress' load-balancer name); it defaults to
the workspace's own platform host.
"""

from .environment import env

DOMAIN_TXT_RESOLVER = env.str("DOMAIN_TXT_RESOLVER", default="tenants.dns.dnspython_txt_lookup")
DOMAIN_DNS_NAMESERVERS = env.list("DOMAIN_DNS_NAMESERVERS", default=[])
DOMAIN_DNS_PORT = env.int("DOMAIN_DNS_PORT", default=53)
DOMAIN_DNS_TIMEOUT_SECONDS = env.float("DOMAIN_DNS_TIMEOUT_SECONDS", default=3.0)
DOMAIN_CNAME_TARGET = env.str("DOMAIN_CNAME_TARGET", default="").lower().strip(".")
# Custom domains (app and portal together) per workspace.
DOMAIN_LIMIT_PER_WORKSPACE = env.int("DOMAIN_LIMIT_PER_WORKSPACE", default=5)
# Hosts no workspace may claim, besides everything under APP_DOMAIN and PORTAL_DOMAIN.
DOMAIN_RESERVED_HOSTS = env.list("DOMAIN_RESERVED_HOSTS", default=["localhost", "localhost.localdomain", "example.invalid"])
# A custom domain still unverified after this many days is removed (tenants.tasks).
DOMAIN_UNVERIFIED_DAYS = env.int("DOMAIN_UNVERIFIED_DAYS", default=7)
# Verified domains are checked again every day; one whose TXT proof has been gone this many
# days is released (removed), so that whoever owns the name now can claim it.
DOMAIN_PROOF_GRACE_DAYS = env.int("DOMAIN_PROOF_GRACE_DAYS", default=7)
