"""Feedback on public pages: `{% product_feedback page %}`, `{% brand_feedback page %}`, `{% brand_response_times page %}`.

Constant queries whatever the number of reviews: one aggregate, one page of reviews with their
answers, one page of answered questions (fetched one row long to know whether there is a next page).
Each is lazy: the lists sit in cached fragments (`{% fragment %}`, keyed on the content version every
saved review, question or answer moves), so a cached view makes none of them; the forms stay outside,
since they carry the visitor's CSRF token.
"""

from django import template
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from site_content.querysets import lazy

from ..forms import QuestionForm, ReviewForm
from ..models import Question, Review
from ..ratings import rating_summary
from ..stats import cached_response_times

register = template.Library()

REVIEWS_PER_PAGE = 5
QUESTIONS_PER_PAGE = 5


def _page_number(value):
    """A page number from the query string; anything odd is page 1 (never a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 10_000 else 1


def answered_questions(page, number):
    """One page of approved, answered questions on `page`: (questions, has_next)."""
    start = (number - 1) * QUESTIONS_PER_PAGE
    rows = list(
        Question.objects.approved().answered().on_page(page).for_listing()[start : start + QUESTIONS_PER_PAGE + 1]
    )
    return rows[:QUESTIONS_PER_PAGE], len(rows) > QUESTIONS_PER_PAGE


def _questions_context(request, page):
    number = _page_number(request.GET.get("questions_page") if request else None)
    answered = lazy(lambda: answered_questions(page, number))
    return {
        "questions": lazy(lambda: answered[0]),
        "questions_page": number,
        "questions_has_next": lazy(lambda: answered[1]),
        "question_form": QuestionForm(),
    }


@register.inclusion_tag("feedback/product_feedback.html", takes_context=True)
def product_feedback(context, page):
    request = context.get("request")
    summary = lazy(lambda: rating_summary(page))

    def reviews_page():
        paginator = Paginator(Review.objects.approved().on_page(page).for_listing(), REVIEWS_PER_PAGE)
        # The aggregate already counted them: spare the paginator its own COUNT query.
        paginator.count = summary["count"]
        return paginator.get_page(request.GET.get("reviews_page") if request else None)

    reviews = lazy(reviews_page)
    return {
        "request": request,
        "page": page,
        "brand": context.get("brand"),
        "summary": summary,
        "reviews": reviews,
        "review_form": ReviewForm(),
        **_questions_context(request, page),
    }


@register.inclusion_tag("feedback/brand_feedback.html", takes_context=True)
def brand_feedback(context, page):
    """Response-time figures, answered questions asked on the brand page, and the question form."""
    request = context.get("request")
    return {
        "request": request,
        "page": page,
        "times": cached_response_times(page),
        **_questions_context(request, page),
    }


@register.inclusion_tag("feedback/brand_response_times.html")
def brand_response_times(page):
    return {"page": page, "times": cached_response_times(page)}


@register.filter
def answer_time(duration):
    """A timedelta as readers think of waiting: minutes, hours, or days."""
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", max(minutes, 1)) % {"n": max(minutes, 1)}
    hours = round(duration.total_seconds() / 3600)
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = round(duration.total_seconds() / 86400)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def stars(rating):
    """★★★★☆ for 4 (decorative: templates give the number in words alongside)."""
    try:
        filled = round(float(rating))
    except (TypeError, ValueError):
        return ""
    filled = min(max(filled, 0), 5)
    return "★" * filled + "☆" * (5 - filled)


@register.simple_tag
def rating_label(rating):
    try:
        value = float(rating)
    except (TypeError, ValueError):
        return ""
    return _("%(rating)s out of 5") % {"rating": f"{value:.1f}".rstrip("0").rstrip(".")}
