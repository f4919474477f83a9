"""Products, offers, invoices, credit notes and payments.

Money is Decimal with a currency code. An issued document never changes: its number,
customer and seller snapshots, lines and totals are frozen by the services and, as a
last line of defence, by database triggers (see Meta.triggers)."""

from decimal import Decimal

import pghistory
import pgtrigger
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference

ZERO = Decimal("0")
PERCENT = [MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))]


class TaxRate(models.Model):
    name = models.CharField(_("name"), max_length=60)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    is_default = models.BooleanField(_("default for new lines"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="taxrate_name_ci_unique"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="taxrate_rate_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.rate.normalize():f}%)"


@pghistory.track(exclude=["updated_at"])
class Product(models.Model):
    class Billing(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. pcs, h, month"))
    category = models.CharField(_("category"), max_length=80, blank=True)
    tax_rates = models.ManyToManyField(TaxRate, blank=True, related_name="products", verbose_name=_("tax rates"))
    billing = models.CharField(_("billing"), max_length=8, choices=Billing.choices, default=Billing.ONE_OFF)
    is_bundle = models.BooleanField(_("bundle"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.UniqueConstraint(Lower("sku"), name="product_sku_ci_unique")]
        indexes = [models.Index(Lower("name"), name="product_name_lower_idx")]

    def __str__(self):
        return f"{self.sku} — {self.name}"


class ProductPrice(models.Model):
    """A unit price in one currency from a quantity up: several rows per currency are the tiers."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(_("currency"), max_length=3)
    min_quantity = models.DecimalField(_("from quantity"), max_digits=12, decimal_places=3, default=Decimal("1"))
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["product", "currency", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["product", "currency", "min_quantity"], name="productprice_tier_unique"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="productprice_not_negative"),
            models.CheckConstraint(condition=Q(min_quantity__gt=0), name="productprice_min_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_id} {self.currency} {self.unit_price} ≥{self.min_quantity}"


class BundleItem(models.Model):
    bundle = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="bundle_items")
    component = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="in_bundles")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=Decimal("1"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["bundle", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "component"], name="bundleitem_unique"),
            models.CheckConstraint(condition=~Q(bundle=models.F("component")), name="bundleitem_not_self"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bundleitem_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.bundle_id}: {self.quantity} × {self.component_id}"


class SalesSettings(models.Model):
    """The one row of a workspace's sales settings (numbering, defaults, reminders)."""

    offer_number_format = models.CharField(_("offer numbers"), max_length=60, default="OFF-{YYYY}-{0000}")
    invoice_number_format = models.CharField(_("invoice numbers"), max_length=60, default="INV-{YYYY}-{0000}")
    credit_note_number_format = models.CharField(_("credit note numbers"), max_length=60, default="CN-{YYYY}-{0000}")
    prices_include_tax = models.BooleanField(_("prices include tax"), default=False)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=14)
    offer_validity_days = models.PositiveSmallIntegerField(_("offers valid for (days)"), default=30)
    # Days after the due date on which a payment reminder goes out, e.g. [3, 7, 14].
    reminder_days = models.JSONField(_("reminder schedule (days after due)"), default=list, blank=True)
    default_terms = models.TextField(_("default terms"), blank=True)
    default_notes = models.TextField(_("default notes"), blank=True)
    default_layout = models.CharField(_("PDF layout"), max_length=32, default="classic")
    # Shown on invoices; the seller's name, address and tax id come from the workspace profile.
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC / SWIFT"), max_length=11, blank=True)
    # The name offers and invoices are e-mailed from (the address is the platform's).
    email_sender_name = models.CharField(_("sender name for e-mails"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sales settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="salessettings_single_row")]

    def __str__(self):
        return "sales settings"


class NumberSequence(models.Model):
    """The last number handed out for a document type in a period ('' or a year).
    Taken with a row lock inside the issuing transaction: gapless and never duplicated."""

    kind = models.CharField(max_length=16)
    period = models.CharField(max_length=8, blank=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "period"]
        constraints = [models.UniqueConstraint(fields=["kind", "period"], name="numbersequence_unique")]

    def __str__(self):
        return f"{self.kind}/{self.period}: {self.last_value}"


class DocumentKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # offers
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CONVERTED = "converted", _("Converted to invoice")
    # invoices and credit notes
    ISSUED = "issued", _("Issued")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    VOID = "void", _("Void")


# The columns an issued document can never change again (the trigger below and the
# services agree on this list). The links to the company and contact are not among them:
# the customer snapshot is the legal record, and deleting or erasing a contact unlinks it.
FROZEN_FIELDS = (
    "kind", "number", "currency", "language", "issue_date", "due_date", "valid_until",
    "prices_include_tax", "discount_percent", "subtotal", "discount_total", "net_total", "tax_total", "total",
    "customer", "seller", "notes", "terms", "credited_document_id",
)


def _any_frozen_change():
    condition = pgtrigger.Q()
    for name in FROZEN_FIELDS:
        field = name.removesuffix("_id")
        condition |= pgtrigger.Q(**{f"old__{field}__df": pgtrigger.F(f"new__{field}")})
    return condition


@pghistory.track(exclude=["updated_at"])
class Document(models.Model):
    Kind = DocumentKind
    Status = DocumentStatus

    class Language(models.TextChoices):
        EN = "en", _("English")
        BG = "bg", _("Bulgarian")

    kind = models.CharField(_("type"), max_length=16, choices=DocumentKind.choices)
    # Empty until the document is issued (invoices, credit notes) or sent (offers).
    number = models.CharField(_("number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    company = models.ForeignKey("companies.Company", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="documents", verbose_name=_("company"))
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="documents", verbose_name=_("contact"))
    deal = models.ForeignKey("deals.Deal", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="documents", verbose_name=_("deal"))
    owner = user_reference(_("owner"))
    issue_date = models.DateField(_("date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), null=True, blank=True)
    prices_include_tax = models.BooleanField(_("prices include tax"), default=False)
    discount_percent = models.DecimalField(_("document discount (%)"), max_digits=5, decimal_places=2,
                                           default=ZERO, validators=PERCENT)
    notes = models.TextField(_("notes"), blank=True)
    terms = models.TextField(_("terms"), blank=True)
    layout = models.CharField(_("PDF layout"), max_length=32, blank=True)
    # Totals, recomputed by the services whenever a draft's lines change.
    subtotal = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    discount_total = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    net_total = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    tax_total = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    # Tax per rate: [{"name", "rate", "base", "amount"}], strings of Decimals.
    tax_breakdown = models.JSONField(default=list, blank=True)
    # Settled amounts (invoices): payments minus refunds, and issued credit notes.
    amount_paid = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    amount_credited = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    # Who sold to whom, frozen when the document is issued or sent.
    customer = models.JSONField(default=dict, blank=True)
    seller = models.JSONField(default=dict, blank=True)
    source_offer = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="invoices", verbose_name=_("from offer"))
    credited_document = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="credit_notes", verbose_name=_("credits invoice"))
    # The customer's acceptance or refusal of an offer: name typed, time, IP, door.
    decision = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], condition=~Q(number=""), name="document_number_unique"),
            models.CheckConstraint(condition=Q(status="draft") | ~Q(number=""), name="document_numbered_unless_draft"),
            models.CheckConstraint(condition=Q(amount_paid__gte=ZERO) | Q(kind="invoice"), name="document_paid_only_invoices"),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "-created_at"], name="document_kind_status_idx"),
            models.Index(fields=["company"], name="document_company_idx"),
            models.Index(fields=["contact"], name="document_contact_idx"),
            models.Index(fields=["deal"], name="document_deal_idx"),
            # Not partial: a partial index's IN-list condition comes back from pg_get_indexdef in a
            # different spelling, and the template-schema clone must give an identical catalogue.
            models.Index(fields=["kind", "status", "due_date"], name="document_due_idx"),
        ]
        triggers = [
            # Last line of defence behind the services: the frozen columns of a document
            # that is no longer a draft never change, whatever door the UPDATE came through.
            pgtrigger.Protect(
                name="document_frozen_after_issue",
                operation=pgtrigger.Update,
                # "not a draft", not an IN-list: the clone compares catalogues textually (see document_due_idx)
                condition=~pgtrigger.Q(old__status="draft")
                & _any_frozen_change(),
            ),
            pgtrigger.Protect(
                name="document_no_delete_after_issue",
                operation=pgtrigger.Delete,
                condition=~pgtrigger.Q(old__status="draft"),
            ),
        ]

    def __str__(self):
        return self.number or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    @property
    def balance(self) -> Decimal:
        """What is still owed on an invoice (negative when overpaid)."""
        return self.total - self.amount_paid - self.amount_credited


class DocumentLine(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    description = models.TextField(_("description"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=Decimal("1"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=ZERO,
                                           validators=PERCENT)
    # The taxes of this line as they were when it was written: [{"name", "rate"}].
    taxes = models.JSONField(_("taxes"), default=list, blank=True)
    # Computed: the line's amount as entered (net, or gross when prices include tax).
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    # Set when the document leaves draft; the trigger refuses any later change.
    is_locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["document", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="documentline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="documentline_price_not_negative"),
        ]
        triggers = [
            pgtrigger.Protect(name="documentline_locked", operation=pgtrigger.Update | pgtrigger.Delete,
                              condition=pgtrigger.Q(old__is_locked=True)),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description[:40]}"


class Payment(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CARD = "card", _("Card")
        CASH = "cash", _("Cash")
        STRIPE = "stripe", _("Online (Stripe)")
        OTHER = "other", _("Other")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices, default=Method.BANK_TRANSFER)
    paid_on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # An outside system's id (a Stripe payment intent): the same one is recorded once.
    external_id = models.CharField(max_length=120, null=True, blank=True, unique=True)
    recorded_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]
        indexes = [models.Index(fields=["paid_on"], name="payment_paid_on_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == self.Kind.PAYMENT else -self.amount


class PaymentReminder(models.Model):
    """One overdue reminder of an invoice: the unique pair is what makes it go out once."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reminders")
    days_after_due = models.PositiveSmallIntegerField()
    sent_to = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "days_after_due"]
        constraints = [models.UniqueConstraint(fields=["document", "days_after_due"], name="paymentreminder_once")]

    def __str__(self):
        return f"{self.document_id} +{self.days_after_due}d"
