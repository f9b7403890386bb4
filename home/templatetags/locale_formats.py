"""Numbers and money in the reader's language: `{{ product.price|money }}`, `{{ page.sales_volume|number }}`.

Dates use Django's own `|date:"DATE_FORMAT"`, which follows the active language (site_content/formats/).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def money(amount):
    """A price in yuan: "¥1,280.00" in Chinese, "CN¥1,280.00" in English (¥ alone reads as yen there)."""
    try:
        amount = Decimal(amount)
    except (TypeError, ValueError, InvalidOperation):
        return ""
    # Translators: the currency sign before a price in Chinese yuan (CNY), as readers of this language write it.
    sign = pgettext("currency sign for CNY", "CN¥")
    return f"{sign}{number_format(amount, decimal_pos=2, force_grouping=True)}"


@register.filter
def number(value):
    """A count with the reader's grouping: 12,345."""
    try:
        return number_format(int(value), force_grouping=True)
    except (TypeError, ValueError):
        return ""
