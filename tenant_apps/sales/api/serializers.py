"""What the sales API sends and accepts. Input serializers check JSON types and sizes;
the services validate the values (same codes and words as the UI)."""

from rest_framework import serializers

from tenant_apps.integrations.api.serializers import CompanyRefSerializer, MemberSerializer, ReadSerializer, _id, _text

from ..models import (
    BundleItem, Document, DocumentKind, DocumentLine, Payment, Product, ProductPrice, SalesSettings, TaxRate,
)


def _decimal(max_digits, decimal_places, **kwargs):
    return serializers.DecimalField(max_digits=max_digits, decimal_places=decimal_places, **kwargs)


# --- catalogue ----------------------------------------------------------------------------


class TaxRateSerializer(ReadSerializer):
    class Meta:
        model = TaxRate
        fields = ["id", "name", "rate", "is_default", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class TaxRateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    rate = _decimal(5, 2, required=False, help_text="Percent, 0-100.")
    is_default = serializers.BooleanField(required=False, help_text="Offered first on new lines.")
    is_active = serializers.BooleanField(required=False)


class ProductPriceSerializer(ReadSerializer):
    class Meta:
        model = ProductPrice
        fields = ["currency", "min_quantity", "unit_price"]
        read_only_fields = fields


class BundleItemSerializer(ReadSerializer):
    class Meta:
        model = BundleItem
        fields = ["component", "quantity"]
        read_only_fields = fields


class ProductSerializer(ReadSerializer):
    tax_rates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    prices = ProductPriceSerializer(many=True, read_only=True,
                                    help_text="Unit prices per currency; several in one currency are quantity tiers.")
    bundle_items = BundleItemSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "description", "unit", "category", "billing", "is_bundle", "is_active",
                  "tax_rates", "prices", "bundle_items", "created_at", "updated_at"]
        read_only_fields = fields


class PriceInputSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3)
    min_quantity = _decimal(12, 3, required=False, help_text="The tier's lowest quantity (default 1).")
    unit_price = _decimal(14, 4)


class BundleItemInputSerializer(serializers.Serializer):
    component = _id(help_text="A product that is not a bundle.")
    quantity = _decimal(12, 3, required=False, help_text="Default 1.")


class ProductInputSerializer(serializers.Serializer):
    """Every key is optional on PATCH; `prices` and `bundle_items`, when sent, replace the current ones."""

    sku = serializers.CharField(max_length=64, required=False)
    name = serializers.CharField(max_length=200, required=False)
    description = _text(10_000)
    unit = _text(20)
    category = _text(80)
    billing = serializers.ChoiceField(choices=Product.Billing.choices, required=False)
    is_bundle = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    tax_rates = serializers.ListField(child=_id(), required=False, max_length=20)
    prices = PriceInputSerializer(many=True, required=False, max_length=100)
    bundle_items = BundleItemInputSerializer(many=True, required=False, max_length=100)


class ProductSearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    unit_price = _decimal(16, 4, allow_null=True, help_text="For one unit in the asked currency; null without one.")
    tax_rate_ids = serializers.ListField(child=serializers.IntegerField())
    billing = serializers.ChoiceField(choices=Product.Billing.choices)


class ProductSearchSerializer(serializers.Serializer):
    results = ProductSearchResultSerializer(many=True)


# --- documents ----------------------------------------------------------------------------


class ContactRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class DealRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class LineTaxSerializer(serializers.Serializer):
    name = serializers.CharField()
    rate = serializers.CharField(help_text="Percent, a decimal string.")


class TaxBreakdownSerializer(serializers.Serializer):
    name = serializers.CharField()
    rate = serializers.CharField(help_text="Percent, a decimal string.")
    base = serializers.CharField(help_text="The amount taxed at this rate, a decimal string.")
    amount = serializers.CharField(help_text="The tax, a decimal string.")


class DocumentLineSerializer(ReadSerializer):
    taxes = LineTaxSerializer(many=True, read_only=True)

    class Meta:
        model = DocumentLine
        fields = ["id", "position", "product", "sku", "description", "quantity", "unit", "unit_price",
                  "discount_percent", "taxes", "amount"]
        read_only_fields = fields


class PaymentSerializer(ReadSerializer):
    recorded_by = MemberSerializer(read_only=True, allow_null=True)
    document_number = serializers.CharField(source="document.number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "document", "document_number", "kind", "amount", "currency", "method", "paid_on", "reference",
                  "note", "recorded_by", "created_at"]
        read_only_fields = fields


class DocumentSerializer(ReadSerializer):
    company = CompanyRefSerializer(read_only=True, allow_null=True)
    contact = ContactRefSerializer(read_only=True, allow_null=True)
    deal = DealRefSerializer(read_only=True, allow_null=True)
    owner = MemberSerializer(read_only=True, allow_null=True)
    balance = _decimal(16, 2, read_only=True, help_text="Still owed on an invoice (negative when overpaid).")
    tax_breakdown = TaxBreakdownSerializer(many=True, read_only=True)
    customer = serializers.DictField(read_only=True, help_text="The customer as frozen when issued or sent.")
    seller = serializers.DictField(read_only=True, help_text="The seller as frozen when issued or sent.")
    decision = serializers.DictField(read_only=True, help_text="An offer's acceptance or refusal: name, at, ip, door.")

    class Meta:
        model = Document
        fields = ["id", "kind", "number", "status", "currency", "language", "company", "contact", "deal", "owner",
                  "issue_date", "valid_until", "due_date", "payment_terms_days", "prices_include_tax",
                  "discount_percent", "notes", "terms", "layout", "subtotal", "discount_total", "net_total",
                  "tax_total", "total", "tax_breakdown", "amount_paid", "amount_credited", "balance", "customer",
                  "seller", "source_offer", "credited_document", "decision", "issued_at", "sent_at", "decided_at",
                  "paid_at", "voided_at", "void_reason", "created_at", "updated_at"]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    lines = DocumentLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "lines", "payments"]
        read_only_fields = fields


# What a new draft may be; credit notes come from an invoice (credit-note action).
DRAFT_KINDS = [(DocumentKind.OFFER.value, "Offer"), (DocumentKind.INVOICE.value, "Invoice")]


class LineInputSerializer(serializers.Serializer):
    product = _id(required=False, allow_null=True,
                  help_text="A catalogue product: its name, SKU and unit fill in what is left out, its price tier "
                            "for the quantity in the document's currency when `unit_price` is left out, and its tax "
                            "rates when `tax_rates` is left out (quick add).")
    sku = _text(64)
    description = _text(2000)
    quantity = _decimal(12, 3, required=False, help_text="Above zero; default 1.")
    unit = _text(20)
    unit_price = _decimal(14, 4, required=False, allow_null=True)
    discount_percent = _decimal(5, 2, required=False, help_text="0-100.")
    tax_rates = serializers.ListField(child=_id(), required=False, max_length=10, help_text="Tax rate ids.")


class DocumentInputSerializer(serializers.Serializer):
    """On create, keys left out take the sales settings' defaults; on PATCH only the keys
    sent change, and `lines`, when sent, replace all lines."""

    kind = serializers.ChoiceField(choices=DRAFT_KINDS, required=False, help_text="On create only (default invoice).")
    company = _id(required=False, allow_null=True)
    contact = _id(required=False, allow_null=True)
    deal = _id(required=False, allow_null=True)
    owner = _id(required=False, allow_null=True, help_text="A member's user id.")
    currency = serializers.CharField(max_length=3, required=False)
    language = serializers.ChoiceField(choices=Document.Language.choices, required=False)
    issue_date = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    payment_terms_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=365)
    prices_include_tax = serializers.BooleanField(required=False)
    discount_percent = _decimal(5, 2, required=False)
    notes = _text(10_000)
    terms = _text(10_000)
    layout = _text(32)
    lines = LineInputSerializer(many=True, required=False, max_length=500)


class IssueInputSerializer(serializers.Serializer):
    issue_date = serializers.DateField(required=False, help_text="Default today.")


class DecisionInputSerializer(serializers.Serializer):
    name = _text(200, help_text="Who gave the answer, as they named themselves.")


class VoidInputSerializer(serializers.Serializer):
    reason = _text(200)


class CreditNoteInputSerializer(serializers.Serializer):
    lines = LineInputSerializer(many=True, required=False, max_length=500,
                                help_text="Left out: all of the invoice's lines.")


# --- payments and settings ----------------------------------------------------------------


class PaymentInputSerializer(serializers.Serializer):
    document = _id(help_text="The invoice.")
    kind = serializers.ChoiceField(choices=Payment.Kind.choices, required=False, default=Payment.Kind.PAYMENT,
                                   help_text="A refund pays money back (managers), never more than was paid.")
    amount = _decimal(16, 2)
    currency = serializers.CharField(max_length=3, required=False, help_text="If sent, must be the invoice's.")
    paid_on = serializers.DateField(required=False, help_text="Default today.")
    method = serializers.ChoiceField(choices=Payment.Method.choices, required=False)
    reference = _text(120)
    note = _text(300)


class SalesSettingsSerializer(ReadSerializer):
    reminder_days = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                          help_text="Days after the due date on which reminders go out.")

    class Meta:
        model = SalesSettings
        fields = ["offer_number_format", "invoice_number_format", "credit_note_number_format", "prices_include_tax",
                  "payment_terms_days", "offer_validity_days", "reminder_days", "default_terms", "default_notes",
                  "default_layout", "bank_name", "iban", "bic", "email_sender_name", "updated_at"]
        read_only_fields = fields


class SalesSettingsInputSerializer(serializers.Serializer):
    offer_number_format = serializers.CharField(max_length=60, required=False,
                                                help_text="One counter ({0000} or {N}); may use {YYYY}, {YY}, {MM}.")
    invoice_number_format = serializers.CharField(max_length=60, required=False)
    credit_note_number_format = serializers.CharField(max_length=60, required=False)
    prices_include_tax = serializers.BooleanField(required=False)
    payment_terms_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    offer_validity_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    reminder_days = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=365), required=False,
                                          max_length=10)
    default_terms = _text(10_000)
    default_notes = _text(10_000)
    default_layout = serializers.CharField(max_length=32, required=False)
    bank_name = _text(120)
    iban = _text(40)
    bic = _text(20)
    email_sender_name = _text(120)

