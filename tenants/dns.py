"""TXT look-ups for custom-domain verification, behind one replaceable callable.

settings.DOMAIN_TXT_RESOLVER names a callable `(name: str) -> list[str]` that returns
the TXT strings published at `name` (each record's character-strings joined), and
raises TxtLookupError with one of the reasons below when there is no answer. The
default asks DNS through dnspython with a short timeout; DOMAIN_DNS_NAMESERVERS (and
DOMAIN_DNS_PORT) point it at particular servers instead of the system's, which is
how the tests use a DNS server on loopback and how an operator can bypass a caching
resolver that would hide a record added a minute ago.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

NXDOMAIN = "dns_nxdomain"
NO_RECORD = "dns_no_record"
WRONG_VALUE = "dns_wrong_value"
TIMEOUT = "dns_timeout"
FAILURE = "dns_error"

# What a failed check means to the person who set up the record (Domain.last_error).
CHECK_ERRORS = {
    NXDOMAIN: _("The challenge name does not exist in DNS yet. Create the TXT record below; "
                "new records can take a few minutes to appear."),
    NO_RECORD: _("No TXT record with the verification value was found. Check the record's name and value."),
    WRONG_VALUE: _("A TXT record was found, but its value is not this domain's verification value. "
                   "Copy the value again; a removed and re-added domain gets a new one."),
    TIMEOUT: _("DNS did not answer in time. Please try again in a minute."),
    FAILURE: _("DNS could not be asked about this domain (its name servers failed). Please try again later."),
}


class TxtLookupError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


def dnspython_txt_lookup(name: str) -> list[str]:
    """The TXT strings at `name`, asked of DNS without the resolver's search list."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=not settings.DOMAIN_DNS_NAMESERVERS)
    if settings.DOMAIN_DNS_NAMESERVERS:
        resolver.nameservers = list(settings.DOMAIN_DNS_NAMESERVERS)
        resolver.port = settings.DOMAIN_DNS_PORT
    resolver.timeout = settings.DOMAIN_DNS_TIMEOUT_SECONDS
    resolver.lifetime = settings.DOMAIN_DNS_TIMEOUT_SECONDS
    resolver.cache = None
    try:
        answer = resolver.resolve(name.rstrip(".") + ".", "TXT", search=False, raise_on_no_answer=True)
    except dns.resolver.NXDOMAIN:
        raise TxtLookupError(NXDOMAIN) from None
    except dns.resolver.NoAnswer:
        raise TxtLookupError(NO_RECORD) from None
    except dns.resolver.LifetimeTimeout:
        raise TxtLookupError(TIMEOUT) from None
    except (dns.resolver.NoNameservers, dns.exception.DNSException) as exc:
        raise TxtLookupError(FAILURE, str(exc)[:200]) from None
    return [b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer]


def txt_resolver() -> Callable[[str], list[str]]:
    """The configured TXT look-up."""
    return import_string(settings.DOMAIN_TXT_RESOLVER)
