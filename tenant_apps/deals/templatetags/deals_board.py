"""The board's cards, built in Python: a column shows up to 50 cards and each carries
its quick-edit form, so a template loop there is most of the board's rendering time.
The markup is the one deals/_cards.html had."""

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tenant_apps.records.templatetags.records import money

register = template.Library()

_STAND_IN = 2147483647


def _url_parts(name):
    head, _marker, tail = reverse(name, args=[_STAND_IN]).rpartition(str(_STAND_IN))
    return head, tail


@register.simple_tag(takes_context=True)
def deal_cards(context, deals, can_move=False):
    """The <li> cards of `deals`; with `can_move`, each with its quick-edit form. Every
    value is escaped as a template would (html.escape is what django.utils.html.escape
    uses), with f-strings rather than format_html: 250 cards x 10 values add up."""
    detail_head, detail_tail = _url_parts("deal_detail")
    if can_move:
        edit_head, edit_tail = _url_parts("deal_quick_edit")
        csrf = CsrfTokenNode().render(context)  # one token for the page, as {% csrf_token %} gives
        t_quick, t_title, t_amount, t_close, t_save = (
            escape(str(label)) for label in
            (_("Quick edit"), _("Title"), _("Amount"), _("Expected close date"), _("Save"))
        )
    cards = []
    for deal in deals:
        pk = int(deal.pk)
        title = escape(deal.title)
        close = deal.expected_close_date
        owner = deal.owner
        company = deal.company
        card = (
            f'<li class="deal-card" data-id="{pk}">\n'
            f'  <a href="{detail_head}{pk}{detail_tail}" class="deal-title">{title}</a>\n'
            f'  <div class="muted small">{escape(company.name) if company else ""}</div>\n'
            f'  <div class="row between small"><strong>{escape(money(deal.amount, deal.currency))}</strong>\n'
            f'    <span>{escape(date_format(close, "SHORT_DATE_FORMAT")) if close else ""}'
            + (f' <span class="avatar avatar-small" title="{escape(owner.display_name)}">{escape(owner.initials)}</span>'
               if owner else "")
            + "</span></div>\n  "
        )
        if can_move:
            amount = "" if deal.amount is None else escape(str(localize(deal.amount)))
            card += (
                f'<details class="quick-edit"><summary class="small">{t_quick}</summary>\n'
                f'    <form method="post" action="{edit_head}{pk}{edit_tail}" class="stack-small">{csrf}\n'
                f'      <label class="small">{t_title}<input name="title" value="{title}" required maxlength="200"></label>\n'
                f'      <label class="small">{t_amount}<input name="amount" value="{amount}" inputmode="decimal"></label>\n'
                f'      <label class="small">{t_close}<input name="expected_close_date" type="date" '
                f'value="{close.isoformat() if close else ""}"></label>\n'
                f'      <button class="btn btn-small btn-primary" type="submit">{t_save}</button>\n'
                "    </form></details>"
            )
        cards.append(card + "\n</li>")
    return mark_safe("\n".join(cards))
