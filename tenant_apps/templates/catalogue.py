"""Which templates exist, the variables each one gets, and sample data to preview them.

The variables listed here are what the editor's side panel shows; the sample contexts
have exactly the shape of the real ones (e-mails: tenant_apps.sales.emails builds them;
documents: tenant_apps.sales.pdf.document_context)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .models import TemplateKind

LANGUAGES = (("en", _("English")), ("bg", _("Bulgarian")))
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)
EMAIL_PURPOSES = (
    ("offer", _("Offer")),
    ("invoice", _("Invoice")),
    ("credit_note", _("Credit note")),
    ("reminder", _("Payment reminder")),
)
DOCUMENT_LAYOUTS = (
    ("classic", pgettext_lazy("PDF layout", "Classic")),
    ("modern", pgettext_lazy("PDF layout", "Modern")),
)


@dataclass(frozen=True)
class TemplateKey:
    kind: str
    name: str
    language: str = ""

    @property
    def slug(self) -> str:
        return "-".join(p for p in (self.kind, self.name, self.language) if p)

    @property
    def label(self) -> str:
        names = dict(EMAIL_PURPOSES if self.kind == TemplateKind.EMAIL else DOCUMENT_LAYOUTS)
        label = str(names.get(self.name, self.name))
        if self.language:
            return f"{label} ({dict(LANGUAGES)[self.language]})"
        return label


def template_keys() -> list[TemplateKey]:
    keys = [TemplateKey(TemplateKind.DOCUMENT, name) for name, _label in DOCUMENT_LAYOUTS]
    keys += [TemplateKey(TemplateKind.EMAIL, name, lang) for name, _label in EMAIL_PURPOSES for lang in LANGUAGE_CODES]
    return keys


def key_from_slug(slug: str) -> TemplateKey | None:
    return {key.slug: key for key in template_keys()}.get(slug)


EMAIL_VARIABLES = (
    ("document.number", _("The document's number")),
    ("document.kind", _("offer, invoice or credit_note")),
    ("document.total", _("The total with currency, formatted in the document's language")),
    ("document.balance", _("What is still owed, formatted")),
    ("document.currency", _("The currency code, e.g. EUR")),
    ("document.issue_date", _("The document's date, formatted")),
    ("document.due_date", _("The due date (invoices), formatted; may be empty")),
    ("document.valid_until", _("The validity date (offers), formatted; may be empty")),
    ("customer.name", _("The customer (company or person)")),
    ("customer.contact_name", _("The contact person; may be empty")),
    ("customer.email", _("The customer's e-mail address")),
    ("seller.name", _("Your company's name")),
    ("seller.email", _("Your company's e-mail address")),
    ("seller.phone", _("Your company's phone")),
    ("seller.website", _("Your company's website")),
    ("sender_name", _("The sender name from the sales settings")),
    ("message", _("The text the user typed when sending; may be empty (use |nl2br)")),
    ("days_overdue", _("Reminders: days since the due date")),
    ("pdf_attached", _("True when the PDF is attached")),
)

DOCUMENT_VARIABLES = (
    ("document.title", _("\"Invoice\", \"Offer\" or \"Credit note\" in the document's language")),
    ("document.number", _("The number (empty on a draft)")),
    ("document.is_draft", _("True for a draft (show a draft mark)")),
    ("document.kind", _("offer, invoice or credit_note")),
    ("document.issue_date / due_date / valid_until", _("Dates, formatted; may be empty")),
    ("document.subtotal / discount_total / net_total / tax_total / total", _("Totals with currency, formatted")),
    ("document.discount_percent", _("The document discount in %, formatted; empty when none")),
    ("document.amount_paid / balance", _("Invoices: paid so far and still owed, formatted")),
    ("document.amount_credited", _("Invoices: taken off by credit notes, formatted")),
    ("document.tax_breakdown", _("List of {name, rate, base, amount} per tax rate")),
    ("document.notes / terms", _("Notes and terms (use |nl2br)")),
    ("document.credits_number", _("Credit notes: the number of the invoice credited")),
    ("lines", _("List of lines: position, sku, description, quantity, unit, unit_price, discount_percent, amount, taxes")),
    ("seller.name / legal_name / tax_id / email / phone / website", _("Your company")),
    ("seller.address_lines", _("Your address as a list of lines")),
    ("customer.name / contact_name / tax_id / email", _("The customer")),
    ("customer.address_lines", _("The customer's address as a list of lines")),
    ("bank.name / iban / bic", _("Bank details from the sales settings")),
    ("branding.logo", _("The logo's address for <img src> (empty when there is none)")),
    ("branding.primary_colour / accent_colour", _("Your colours, e.g. #2563eb")),
    ("labels.*", _("Headings in the document's language: see the default template")),
)


def variables_for(kind: str):
    return EMAIL_VARIABLES if kind == TemplateKind.EMAIL else DOCUMENT_VARIABLES


_EMAIL_SAMPLES = {
    "en": {
        "document": {"number": "INV-2026-0042", "total": "€1,234.56", "balance": "€1,234.56", "currency": "EUR",
                     "issue_date": "Mar 5, 2026", "due_date": "Mar 19, 2026", "valid_until": "Apr 4, 2026"},
        "customer": {"name": "Initech Ltd", "contact_name": "Jane Smith", "email": "jane@initech.example"},
        "seller": {"name": "Acme Ltd", "email": "billing@acme.example", "phone": "+44 20 7946 0000",
                   "website": "https://acme.example"},
        "sender_name": "Olivia from Acme",
    },
    "bg": {
        "document": {"number": "INV-2026-0042", "total": "1 234,56 лв.", "balance": "1 234,56 лв.", "currency": "BGN",
                     "issue_date": "5.03.2026 г.", "due_date": "19.03.2026 г.", "valid_until": "4.04.2026 г."},
        "customer": {"name": "Инитех ООД", "contact_name": "Иван Петров", "email": "ivan@initech.example"},
        "seller": {"name": "Акме ЕООД", "email": "billing@acme.example", "phone": "+359 2 123 4567",
                   "website": "https://acme.example"},
        "sender_name": "Оливия от Акме",
    },
}


def email_sample_context(purpose: str, language: str) -> dict:
    sample = _EMAIL_SAMPLES.get(language, _EMAIL_SAMPLES["en"])
    kind = purpose if purpose != "reminder" else "invoice"
    number = {"offer": "OFF-2026-0007", "invoice": "INV-2026-0042", "credit_note": "CN-2026-0003"}[kind]
    document = dict(sample["document"], kind=kind, number=number)
    if kind != "offer":
        document["valid_until"] = ""
    else:
        document["due_date"] = ""
    return {
        "document": document,
        "customer": dict(sample["customer"]),
        "seller": dict(sample["seller"]),
        "sender_name": sample["sender_name"],
        "message": "",
        "days_overdue": 7 if purpose == "reminder" else None,
        "pdf_attached": True,
    }
