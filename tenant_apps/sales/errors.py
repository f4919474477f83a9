"""Errors a user can meet in sales documents, each with a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError

MESSAGES = {
    "not_draft": _("This document is no longer a draft: it cannot be changed. Correct an issued invoice with a credit note."),
    "no_lines": _("Add at least one line before issuing or sending the document."),
    "no_customer": _("Choose a company or a contact as the customer."),
    "currency_invalid": _("Enter a three-letter currency code, such as EUR or BGN."),
    "amount_too_large": _("The amounts are too large: a line or the total must stay below 100,000,000,000,000."),
    "issue_date_invalid": _("A document cannot be issued with a date in the future."),
    "issue_date_before_last": _("Numbers run in date order: the date cannot be before %(date)s, the date of the last one issued."),
    "number_taken": _("The number %(number)s is already used. Change the number format in the sales settings so that new numbers differ."),
    "credit_note_mismatch": _("A credit note must have its invoice's customer and currency."),
    "line_invalid": _("A line needs a description, a quantity above zero and a price that is not negative."),
    "discount_invalid": _("A discount is a percentage between 0 and 100."),
    "tax_invalid": _("Choose an active tax rate."),
    "wrong_kind": _("This action does not apply to this type of document."),
    "wrong_status": _("This action is not possible in the document's current status."),
    "number_format_invalid": _("A number format needs exactly one counter such as {0000} or {N}, and may use {YYYY}, {YY} and {MM}."),
    "offer_expired": _("This offer has expired."),
    "decision_name_required": _("Type your full name to accept the offer."),
    "payment_amount_invalid": _("Enter an amount above zero."),
    "payment_currency_mismatch": _("A payment must be in the invoice's currency."),
    "refund_exceeds_paid": _("A refund cannot be larger than what was paid."),
    "credit_exceeds_invoice": _("A credit note cannot credit more than the invoice's remaining total."),
    "product_invalid": _("This product cannot be used here."),
    "sku_taken": _("Another product already has this SKU."),
    "price_missing": _("This product has no price in the document's currency."),
    "bundle_invalid": _("A bundle cannot contain itself or another bundle."),
    "sku_required": _("Enter a SKU of up to 64 characters."),
    "product_name_required": _("Enter the product's name (up to 200 characters)."),
    "billing_invalid": _("Choose one-off, monthly or yearly billing."),
    "price_invalid": _("A price needs a currency code, a unit price that is not negative and a from-quantity above zero."),
    "price_tier_duplicate": _("Each from-quantity may appear only once per currency."),
    "price_required": _("Give the product at least one price (only a bundle may take its price from its components)."),
    "bundle_in_use": _("This product is part of a bundle, so it cannot become a bundle itself."),
    "tax_rate_invalid": _("A tax rate needs a name and a percentage between 0 and 100 with at most two decimals."),
    "tax_name_taken": _("Another tax rate already has this name."),
    "days_invalid": _("Enter a whole number of days between 0 and 365."),
    "reminder_days_invalid": _("List up to 10 different whole numbers of days between 1 and 365, such as 3, 7, 14."),
    "iban_invalid": _("Enter an IBAN: two letters, two digits and up to 30 letters or digits."),
    "bic_invalid": _("Enter a BIC of 8 or 11 letters and digits."),
    "text_too_long": _("This text is too long."),
    "layout_invalid": _("Choose a PDF layout."),
    "recipients_required": _("Enter at least one recipient's e-mail address."),
    "email_invalid": _("“%(address)s” is not a valid e-mail address."),
    "too_many_recipients": _("Send to at most %(limit)s addresses at once."),
    "subject_invalid": _("Enter a subject of at most 200 characters."),
    "message_too_long": _("The message can be at most 10,000 characters long."),
    "issue_before_sending": _("Issue the invoice before sending it, or choose to issue and send it now."),
    "already_sent": _("This e-mail has already been sent."),
    "template_broken": _("The e-mail template cannot be used: %(detail)s"),
    "pdf_template_broken": _("The document (PDF) template cannot be used for this document: %(detail)s"),
}


# Refusals because of the document's state rather than the request's content: the API
# answers them 409 Conflict (the same request may succeed on another document).
CONFLICTS = frozenset({"not_draft", "wrong_status", "offer_expired", "already_sent", "issue_before_sending",
                       "number_taken"})


class SalesError(UserFacingError):
    """A refused sales action; `code` is stable (API), `message` is translated (UI)."""

    def __init__(self, code: str, field: str | None = None, **params):
        self.code = code
        self.field = field
        self.params = params
        # Not UserFacingError.__init__: the message is computed when read, in the
        # language active then (the API's Accept-Language, the page's language).
        Exception.__init__(self, code)

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        return text % self.params if self.params else text

    @property
    def errors(self) -> dict | None:
        """{field: [message]} for the API's `fields`, when the problem is in one field."""
        return {self.field: [self.message]} if self.field else None

    @property
    def http_status(self) -> int:
        return 409 if self.code in CONFLICTS else 400
