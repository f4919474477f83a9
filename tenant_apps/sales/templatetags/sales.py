"""Template tags of the sales app: the documents section of company, contact and deal pages."""

from django import template

from shared_apps.accounts.rules import can

register = template.Library()


@register.inclusion_tag("sales/_record_documents.html", takes_context=True)
def record_documents(context, record, entity: str):
    """The latest documents of a record, with links to all of them and to a new offer.
    One query; nothing for a user who may not see documents."""
    from ..document_selectors import documents_for_record

    user = context["request"].user
    if not can(user, "sales.view_document"):
        return {"show": False}
    documents, more = documents_for_record(user=user, **{entity: record})
    return {
        "show": True, "documents": documents, "more": more, "record": record, "entity": entity,
        "can_add": can(user, "sales.add_document"), "csrf_token": context.get("csrf_token"),
    }


@register.filter
def rate(value) -> str:
    """A tax or discount rate as people write it: '20.00' -> '20', '9.50' -> '9.5'."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:f}"
