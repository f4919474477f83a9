"""Forms of the sales pages: the document editor (header and lines), payments, the sales
settings, tax rates and products. They parse and check input; the services decide."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.forms import member_choices
from tenant_apps.records.visibility import visible

from tenant_apps.templates.catalogue import DOCUMENT_LAYOUTS

from .models import Document, DocumentKind, Payment, Product, TaxRate


def record_id(value) -> int | None:
    """A primary key from a query string or hidden field; None for anything else (a number
    too large for the database included)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def query_text(value, limit: int = 100) -> str:
    """Search text from a query string: trimmed, bounded, without NUL (PostgreSQL refuses it)."""
    return str(value or "").replace("\x00", "").strip()[:limit]


def date_widget():
    # ISO on the wire whatever the user's language: <input type="date"> accepts nothing else.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecimalText(forms.CharField):
    """A decimal number as people type it: '1 200,50' or '1200.50'. Never a float."""

    default_error_messages = {"invalid": _("Enter a number.")}

    def __init__(self, *, min_value=None, max_value=None, places=2, **kwargs):
        self.min_value, self.max_value, self.places = min_value, max_value, places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        # '1' and '1.000' are the same number: compare values, not text.
        try:
            before = self.to_python("" if initial is None else str(initial))
        except forms.ValidationError:
            before = initial
        try:
            return self.to_python(data) != before
        except forms.ValidationError:
            return True

    def to_python(self, value):
        text = (super().to_python(value) or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite() or number.as_tuple().exponent < -self.places:
            raise forms.ValidationError(
                _("Enter a number with at most %(places)d decimals.") % {"places": self.places}, code="invalid")
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(_("Enter at least %(min)s.") % {"min": self.min_value}, code="min_value")
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(_("Enter at most %(max)s.") % {"max": self.max_value}, code="max_value")
        return number


LANGUAGE_CHOICES = Document.Language.choices
LAYOUT_CHOICES = list(DOCUMENT_LAYOUTS)


class DocumentForm(forms.Form):
    """The header of a draft offer or invoice. The customer is typed (with suggestions)
    and resolved here to a company and contact the user may see."""

    company_name = forms.CharField(
        label=_("Company"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"list": "company-suggestions", "autocomplete": "off"}),
    )
    company = forms.CharField(required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(
        label=_("Contact"), max_length=300, required=False,
        help_text=_("A person at the customer, by name or e-mail address."),
        widget=forms.TextInput(attrs={"list": "contact-suggestions", "autocomplete": "off"}),
    )
    contact = forms.CharField(required=False, widget=forms.HiddenInput)
    deal = forms.CharField(required=False, widget=forms.HiddenInput)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3,
                               widget=forms.TextInput(attrs={"size": 4, "style": "text-transform:uppercase"}))
    language = forms.ChoiceField(label=_("Document language"), choices=LANGUAGE_CHOICES)
    issue_date = forms.DateField(label=_("Date"), required=False, widget=date_widget(),
                                 help_text=_("Set when the document is issued, if empty."))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=date_widget())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=date_widget())
    payment_terms_days = forms.IntegerField(label=_("Payment terms (days)"), required=False, min_value=0,
                                            max_value=365)
    prices_include_tax = forms.BooleanField(label=_("Prices include tax"), required=False)
    discount_percent = DecimalText(label=_("Document discount (%)"), required=False, min_value=Decimal("0"),
                                   max_value=Decimal("100"))
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    layout = forms.ChoiceField(label=_("PDF layout"), choices=LAYOUT_CHOICES)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    terms = forms.CharField(label=_("Terms"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, kind, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.kind = user, kind
        self.members = {str(m.user_id): m.user for m in members}
        self.fields["owner"].choices = member_choices(members)
        if kind == DocumentKind.OFFER:
            # An offer is dated the day it is sent.
            del self.fields["due_date"], self.fields["payment_terms_days"], self.fields["issue_date"]
        else:
            del self.fields["valid_until"]

    @staticmethod
    def initial_for(document: Document) -> dict:
        initial = {
            name: getattr(document, name)
            for name in ("currency", "language", "issue_date", "valid_until", "due_date", "payment_terms_days",
                         "prices_include_tax", "discount_percent", "notes", "terms")
        }
        initial.update(
            company=document.company_id or "", company_name=document.company.name if document.company else "",
            contact=document.contact_id or "", contact_name=contact_label(document.contact) if document.contact else "",
            deal=document.deal_id or "", owner=str(document.owner_id or ""), layout=document.layout or "classic",
        )
        return initial

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def _visible(self, model):
        return visible(model.objects.all(), self.user)

    def clean(self):
        from tenant_apps.companies.models import Company
        from tenant_apps.contacts.models import Contact
        from tenant_apps.deals.models import Deal

        data = super().clean()
        name = (data.get("company_name") or "").strip()
        company = None
        if name:
            companies = self._visible(Company)
            picked = record_id(data.get("company"))
            if picked is not None:
                company = companies.filter(pk=picked, name__iexact=name).first()
            company = company or companies.filter(name__iexact=name).order_by("pk").first()
            if company is None:
                self.add_error("company_name", _("There is no company with this name: pick one from the suggestions."))
        data["company_obj"] = company

        contact = None
        text = (data.get("contact_name") or "").strip()
        if text:
            contacts = self._visible(Contact)
            picked = record_id(data.get("contact"))
            if picked is not None:
                candidate = contacts.filter(pk=picked).first()
                if candidate is not None and contact_label(candidate) == text:
                    contact = candidate
            if contact is None:
                contact = contact_for_text(contacts, text, company)
            if contact is None:
                self.add_error("contact_name", _("There is no such contact: pick one from the suggestions."))
        data["contact_obj"] = contact

        deal = None
        if record_id(data.get("deal")) is not None:
            deal = self._visible(Deal).filter(pk=record_id(data["deal"])).first()
        data["deal_obj"] = deal
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        values = {
            "company": data["company_obj"], "contact": data["contact_obj"], "deal": data["deal_obj"],
            "currency": data["currency"], "language": data["language"],
            "prices_include_tax": data["prices_include_tax"],
            "discount_percent": data.get("discount_percent") or Decimal("0"), "notes": data["notes"],
            "terms": data["terms"], "layout": data["layout"],
        }
        if self.kind == DocumentKind.OFFER:
            values["valid_until"] = data.get("valid_until")
        else:
            values["issue_date"] = data.get("issue_date")
            values["due_date"] = data.get("due_date")
            values["payment_terms_days"] = data.get("payment_terms_days")
        if data.get("owner") in self.members:
            values["owner"] = self.members[data["owner"]]
        return values


def contact_label(contact) -> str:
    """How a contact is shown in the customer field and its suggestions."""
    name = " ".join(p for p in (contact.first_name, contact.last_name) if p) or contact.email
    return f"{name} <{contact.email}>" if contact.email and name != contact.email else name


def contact_for_text(contacts, text: str, company=None):
    """The contact meant by 'Name <email>', an e-mail address or a full name (preferring
    one at `company`)."""
    email = text[text.rfind("<") + 1:text.rfind(">")] if "<" in text and text.endswith(">") else text
    if "@" in email:
        # lower(email) = lower(%s): served by contact_email_idx (iexact's UPPER() is not)
        return (contacts.annotate(email_lower=Lower("email")).filter(email_lower=Lower(Value(email.strip())))
                .order_by("pk").first())
    first, _sep, last = text.partition(" ")
    matches = contacts.filter(Q(first_name__iexact=first.strip(), last_name__iexact=last.strip())
                              | Q(first_name__iexact=text.strip(), last_name=""))
    if company is not None:
        at_company = matches.filter(company=company).order_by("pk").first()
        if at_company is not None:
            return at_company
    return matches.order_by("pk").first()


class LineForm(forms.Form):
    product = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-line": "product"}))
    description = forms.CharField(label=_("Description"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 1, "data-line": "description"}))
    quantity = DecimalText(label=_("Quantity"), places=3, min_value=Decimal("0.001"), max_value=Decimal("999999999"),
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "data-line": "quantity", "size": 6}))
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"data-line": "unit", "size": 5}))
    unit_price = DecimalText(label=_("Unit price"), places=4, min_value=Decimal("0"), max_value=Decimal("9999999999"),
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "data-line": "unit_price", "size": 9}))
    discount_percent = DecimalText(label=_("Discount (%)"), required=False, min_value=Decimal("0"),
                                   max_value=Decimal("100"),
                                   widget=forms.TextInput(attrs={"inputmode": "decimal", "data-line": "discount", "size": 4}))
    tax_rates = forms.MultipleChoiceField(label=_("Taxes"), required=False,
                                          widget=forms.SelectMultiple(attrs={"data-line": "taxes", "size": 2}))

    def __init__(self, *args, taxes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_rates"].choices = [(str(t.pk), str(t)) for t in taxes]

    def has_changed(self):
        # The editor numbers every row for its order: a blank row is still blank.
        return any(name not in ("ORDER", "DELETE") for name in self.changed_data)

    def service_line(self) -> dict:
        data = self.cleaned_data
        return {
            "product": record_id(data.get("product")),
            "description": data["description"], "quantity": data["quantity"], "unit": data.get("unit", ""),
            "unit_price": data["unit_price"], "discount_percent": data.get("discount_percent") or Decimal("0"),
            "tax_rates": [int(t) for t in data.get("tax_rates") or []],
        }


class BaseLineFormSet(forms.BaseFormSet):
    """Lines; a new (extra) line starts with one unit and the default tax rates, and one
    left as it started is not a line."""

    def __init__(self, *args, taxes=(), **kwargs):
        self.taxes = list(taxes)
        self.new_line = {"quantity": "1", "tax_rates": [str(t.pk) for t in self.taxes if t.is_default]}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {**super().get_form_kwargs(index), "taxes": self.taxes}
        if index is None or index >= self.initial_form_count():
            kwargs["initial"] = self.new_line
        return kwargs

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, taxes=self.taxes, renderer=self.renderer,
                         initial=self.new_line)
        self.add_fields(form, None)
        return form

    def service_lines(self) -> list[dict]:
        """The kept lines in their order (the ORDER field, then their place in the form)."""
        kept = [f for f in self.forms if f.has_changed() or not f.empty_permitted]
        kept = [f for f in kept if not (self.can_delete and self._should_delete_form(f))]
        kept = [f for f in kept if f.cleaned_data]
        kept.sort(key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))
        return [f.service_line() for f in kept]


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=1, can_delete=True, can_order=True,
                                    max_num=500, validate_max=True)


def line_initial(document: Document, taxes: list[TaxRate]) -> list[dict]:
    """A draft's lines as formset rows; a line's taxes are matched to today's rates by name and rate."""
    by_snapshot = {(t.name, Decimal(t.rate).normalize()): str(t.pk) for t in taxes}
    rows = []
    for line in document.lines.all():
        rows.append({
            "product": line.product_id or "", "description": line.description, "quantity": line.quantity.normalize(),
            "unit": line.unit, "unit_price": line.unit_price.normalize(),
            "discount_percent": line.discount_percent.normalize() if line.discount_percent else "",
            "tax_rates": [by_snapshot[k] for k in ((t["name"], Decimal(t["rate"]).normalize()) for t in line.taxes)
                          if k in by_snapshot],
        })
    return rows


class PaymentForm(forms.Form):
    amount = DecimalText(label=_("Amount"), min_value=Decimal("0.01"), max_value=Decimal("9999999999999"))
    paid_on = forms.DateField(label=_("Date"), widget=date_widget())
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SalesSettingsForm(forms.Form):
    offer_number_format = forms.CharField(label=_("Offer numbers"), max_length=40)
    invoice_number_format = forms.CharField(label=_("Invoice numbers"), max_length=40)
    credit_note_number_format = forms.CharField(label=_("Credit note numbers"), max_length=40)
    payment_terms_days = forms.IntegerField(label=_("Payment terms (days)"), min_value=0, max_value=365)
    offer_validity_days = forms.IntegerField(label=_("Offers valid for (days)"), min_value=1, max_value=365)
    prices_include_tax = forms.BooleanField(label=_("Prices include tax"), required=False,
                                            help_text=_("The default for new documents."))
    default_layout = forms.ChoiceField(label=_("PDF layout"), choices=LAYOUT_CHOICES)
    reminder_days = forms.CharField(label=_("Payment reminders (days after due)"), max_length=100, required=False,
                                    help_text=_("For example 3, 7, 14. Leave empty to send no reminders."))
    email_sender_name = forms.CharField(label=_("Sender name for e-mails"), max_length=120, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=120, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=_("BIC / SWIFT"), max_length=11, required=False)
    default_notes = forms.CharField(label=_("Default notes"), required=False, max_length=10_000,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    default_terms = forms.CharField(label=_("Default terms"), required=False, max_length=10_000,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(row) -> dict:
        initial = {name: getattr(row, name) for name in SalesSettingsForm.base_fields if name != "reminder_days"}
        initial["reminder_days"] = ", ".join(str(d) for d in row.reminder_days or [])
        if initial["default_layout"] not in dict(LAYOUT_CHOICES):
            initial["default_layout"] = "classic"
        return initial


class TaxRateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    rate = DecimalText(label=_("Rate (%)"), min_value=Decimal("0"), max_value=Decimal("100"))
    is_default = forms.BooleanField(label=_("Default for new lines"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ProductForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False, help_text=_("e.g. pcs, h, month"))
    category = forms.CharField(label=_("Category"), max_length=80, required=False)
    billing = forms.ChoiceField(label=_("Billing"), choices=Product.Billing.choices)
    tax_rates = forms.MultipleChoiceField(label=_("Tax rates"), required=False, widget=forms.CheckboxSelectMultiple)
    is_bundle = forms.BooleanField(label=_("Bundle of other products"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, taxes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_rates"].choices = [(str(t.pk), str(t)) for t in taxes]

    @staticmethod
    def initial_for(product: Product) -> dict:
        initial = {name: getattr(product, name) for name in ProductForm.base_fields if name != "tax_rates"}
        initial["tax_rates"] = [str(t.pk) for t in product.tax_rates.all()]
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["tax_rates"] = [int(t) for t in data.get("tax_rates") or []]
        return data


class PriceForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3,
                               widget=forms.TextInput(attrs={"size": 4}))
    min_quantity = DecimalText(label=_("From quantity"), places=3, min_value=Decimal("0.001"), required=False)
    unit_price = DecimalText(label=_("Unit price"), places=4, min_value=Decimal("0"))

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()


class BundleItemForm(forms.Form):
    component = forms.ChoiceField(label=_("Product"))
    quantity = DecimalText(label=_("Quantity"), places=3, min_value=Decimal("0.001"))

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = [("", "—")] + [(str(p.pk), str(p)) for p in components]


class BaseKeptFormSet(forms.BaseFormSet):
    """Rows the user filled in and did not mark for removal. New rows start with
    `new_row`; one left as it started is not a row."""

    def __init__(self, *args, form_kwargs_extra=None, new_row=None, **kwargs):
        self.form_kwargs_extra = form_kwargs_extra or {}
        self.new_row = new_row or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {**super().get_form_kwargs(index), **self.form_kwargs_extra}
        if self.new_row and (index is None or index >= self.initial_form_count()):
            kwargs["initial"] = self.new_row
        return kwargs

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, renderer=self.renderer, initial=self.new_row,
                         **self.form_kwargs_extra)
        self.add_fields(form, None)
        return form

    def kept(self) -> list[dict]:
        rows = []
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data or self._should_delete_form(form):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows


PriceFormSet = forms.formset_factory(PriceForm, formset=BaseKeptFormSet, extra=1, can_delete=True, max_num=100,
                                     validate_max=True)
BundleFormSet = forms.formset_factory(BundleItemForm, formset=BaseKeptFormSet, extra=1, can_delete=True,
                                      max_num=100, validate_max=True)


def taxes_active():
    return list(TaxRate.objects.filter(is_active=True))
