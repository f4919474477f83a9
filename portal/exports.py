"""Extra sections of a customer's data export ("Download my data" in the portal).

Another app adds what it keeps about the customer (tickets, say) by registering a section
from its AppConfig.ready():

    from portal.exports import export_section_register
    export_section_register("tickets", tickets_for_export)   # (access) -> JSON-ready data

The function must scope its query with portal.access.customer_scope(access) and return
plain data (dicts, lists, strings); its key becomes a top-level key of the export.
"""

from collections.abc import Callable

_SECTIONS: dict[str, Callable] = {}
RESERVED = frozenset({"exported_at", "contact", "portal_access", "offers", "invoices", "credit_notes", "payments",
                      "documents_truncated"})


def export_section_register(key: str, section: Callable) -> None:
    """Add (or replace) the section `key`; registering twice is harmless."""
    if key in RESERVED:
        raise ValueError(f"{key!r} is a built-in part of the portal data export")
    _SECTIONS[key] = section


def export_sections() -> list[tuple[str, Callable]]:
    return sorted(_SECTIONS.items())
