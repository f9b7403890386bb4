"""Numbers and money in the reader's language: `{{ product.price|money }}`, `{{ page.sales_volume|number }}`.

Dates use Django's own `|date:"DATE_FORMAT"`, which follows the active language (site_content/formats/).
Words kept as written (a buyer's review, a sealed note, an issuer) say which language they are in:
`{{ review.body|linebreaksbr|original:"labelled" }}`, and the editors' translation of them, where there is
one, follows for readers of the other language: `{% translation review.body review.body_translation %}`.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, gettext, pgettext

from site_content.slugs import has_han

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


@register.simple_tag
def quantity(amount, unit):
    """A batch's quantity and unit: "1,200 × 5 kg bag" in English, "5公斤袋 × 1200" in Chinese, "500 kg".

    The amount loses its trailing zeros (a sealed payload says "1200.00") and takes the reader's grouping;
    the unit is shown as written (marked as Chinese on an English page). A unit that starts with a number
    is a pack ("5公斤袋"), so the amount counts packs and "×" keeps the two numbers from reading as one.
    """
    try:
        amount = Decimal(str(amount))
    except (TypeError, ValueError, InvalidOperation):
        return ""
    if not amount.is_finite():
        return ""
    places = max(0, -amount.normalize().as_tuple().exponent)
    count = number_format(amount, decimal_pos=places, force_grouping=True)
    unit = (unit or "").strip()
    if not unit:
        return count
    if unit[0].isdigit():
        # Translators: a batch's size in packs, e.g. "1,200 × 5 kg bag"; Chinese may write the pack first.
        pattern = pgettext("batch quantity in packs", "{count} × {unit}")
    else:
        # Translators: a batch's size, e.g. "500 kg".
        pattern = pgettext("batch quantity", "{count} {unit}")
    return format_html(pattern, count=count, unit=original(unit))


@register.filter(needs_autoescape=True)
def original(text, mode="", autoescape=True):
    """`text` as written; Chinese on a page in another language is marked lang="zh-Hans" (and labelled if asked).

    Reviews, answers, questions, sealed provenance text and certificate issuers are never translated, so
    an English page shows them in Chinese: the `lang` attribute lets a screen reader pronounce them and
    a browser offer to translate them, and the label ("labelled") tells a reader why they are Chinese.
    The two languages of this site differ by script, so a Chinese character is what marks Chinese text.
    """
    text = "" if text is None else text
    shown = conditional_escape(text) if autoescape else text
    if (get_language() or "").startswith("zh") or not has_han(str(text)):
        return shown
    marked = format_html('<span lang="zh-Hans">{}</span>', shown)
    if mode == "labelled":
        # Translators: a small label beside a buyer's review or a farm's note shown as written in Chinese.
        return format_html('{} <small class="lang-label">{}</small>', marked, gettext("in Chinese"))
    return marked


def reader_language():
    """The language of the page being made, as a `lang` value: "zh-Hans" or "en"."""
    return "zh-Hans" if (get_language() or "").startswith("zh") else "en"


@register.simple_tag
def translation(text, translated, heading="", sealed=False):
    """The editors' translation of `text` (shown as written just before), for readers of the other language.

    `{% translation review.body review.body_translation heading=review.title_translation %}`. Shown only when
    the reader's language is not the one `text` is written in, and never instead of it: the original stays
    above, and this says, in the reader's language and with their `lang`, that the site's editors translated
    it. `heading` is a translated title, shown first in bold. `sealed=True` (a provenance note, a caption)
    adds that the translation is not sealed: the seal covers the original words only, so no one may read the
    translation as verified. Nothing at all when there is no translation or the reader reads the original.
    """
    translated = (translated or "").strip()
    heading = (heading or "").strip()
    reader = reader_language()
    if not (translated or heading) or not str(text or "").strip() or language_of(text) == reader:
        return ""
    if sealed:
        # Translators: a small label before the editors' translation of a sealed provenance note or caption.
        label = gettext("Translated by the editors, not sealed")
    else:
        # Translators: a small label before the editors' translation of a buyer's review, a question or an answer.
        label = gettext("Translated by the editors")
    words = linebreaksbr(translated, autoescape=True)
    if heading:
        words = (
            format_html("<strong>{}</strong> {}", heading, words)
            if translated
            else format_html("<strong>{}</strong>", heading)
        )
    return format_html(
        '<span class="translation{}" lang="{}"><small class="lang-label">{}</small> {}</span>',
        " translation--unsealed" if sealed else "",
        reader,
        label,
        words,
    )


@register.filter
def language_of(text):
    """The language `text` is written in, for an attribute that shows it: "zh-Hans" when it has Chinese, else "en".

    An image's alt text is its title unless an editor wrote one, and an image is one fact in both languages, so
    an English page may show a Chinese alt: `{% image img ... lang=img.default_alt_text|language_of %}` lets
    a screen reader pronounce it as Chinese (an attribute cannot carry a lang of its own).
    """
    return "zh-Hans" if has_han(str(text or "")) else "en"
