"""{% invoice_payment_offer invoice as offer %}: whether the invoice can be paid by card now
(see billing.connect_selectors.invoice_payment_offer), for portal/includes/pay_button.html."""

from django import template

from billing.connect_selectors import invoice_payment_offer as _offer

register = template.Library()


@register.simple_tag(takes_context=True)
def invoice_payment_offer(context, invoice):
    return _offer(tenant=context["request"].tenant, invoice=invoice)
