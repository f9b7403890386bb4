"""Filters for /policy/, each region's section and the feeds: `?region=&topic=&status=&from=&to=`.

Bad input never raises: an unknown region or topic gives an empty result and a message, dates the
wrong way round are swapped, malformed dates are ignored, each with a message the page shows.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from site_content.models import Region

from .models import PolicyNewsPage, PolicyTopic, subscribable_regions

STATUS_CHOICES = [("in_force", _("In force")), ("pending", _("Not yet in force")), ("expired", _("Expired"))]


def status_q(status, today):
    """The condition `PolicyNewsPage.status()` computes, as a database filter."""
    if status == "pending":
        return Q(effective_date__gt=today)
    if status == "expired":
        return Q(expiry_date__lte=today)
    return Q(effective_date__lte=today) & (Q(expiry_date__isnull=True) | Q(expiry_date__gt=today))


class PolicyFilterForm(forms.Form):
    """Plain GET fields, so a filtered list is a URL people can share and it works without JavaScript."""

    region = forms.CharField(label=_("Region"), required=False, max_length=60)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=60)
    status = forms.CharField(label=_("Status"), required=False, max_length=20)
    date_from = forms.CharField(label=_("Takes effect from"), required=False, max_length=20)
    date_to = forms.CharField(label=_("Takes effect until"), required=False, max_length=20)

    def __init__(self, data, *, regions=None, **kwargs):
        # `from` is a Python keyword, so the URL's names differ from the fields'.
        data = {
            "region": data.get("region", ""),
            "topic": data.get("topic", ""),
            "status": data.get("status", ""),
            "date_from": data.get("from", ""),
            "date_to": data.get("to", ""),
        }
        super().__init__(data, **kwargs)
        self._messages = []
        self.empty = False
        self.region_options = regions

    @property
    def messages(self):
        """What the page tells the reader about filters it could not use as given."""
        if self.is_bound and self.errors:
            return [
                *self._messages,
                _("Some filters could not be read, so nothing is listed. Clear them and try again."),
            ]
        return self._messages

    def _date(self, name):
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        field = forms.DateField()
        try:
            return field.clean(raw)
        except forms.ValidationError:
            self._messages.append(_("“%(value)s” is not a date (use YYYY-MM-DD), so it was ignored.") % {"value": raw})
            return None

    def clean(self):
        cleaned = super().clean()
        region_slug = (cleaned.get("region") or "").strip()
        topic_slug = (cleaned.get("topic") or "").strip()
        status = (cleaned.get("status") or "").strip()
        cleaned["region_obj"] = cleaned["topic_obj"] = None
        if region_slug:
            cleaned["region_obj"] = Region.objects.with_ancestors().filter(slug=region_slug).first()
            if cleaned["region_obj"] is None:
                self.empty = True
                self._messages.append(_("There is no region “%(value)s”.") % {"value": region_slug})
        if topic_slug:
            cleaned["topic_obj"] = PolicyTopic.objects.filter(slug=topic_slug).first()
            if cleaned["topic_obj"] is None:
                self.empty = True
                self._messages.append(_("There is no topic “%(value)s”.") % {"value": topic_slug})
        if status and status not in dict(STATUS_CHOICES):
            self.empty = True
            self._messages.append(_("There is no status “%(value)s”.") % {"value": status})
            status = ""
        cleaned["status_value"] = status
        start, end = self._date("date_from"), self._date("date_to")
        if start and end and start > end:
            start, end = end, start
            self._messages.append(_("The dates were the wrong way round, so they were swapped."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def filter(self, queryset, *, skip=()):
        """`queryset` narrowed by every filter except those named in `skip` (for facet counts)."""
        if not self.is_valid() or self.empty:
            return queryset.none()
        values = self.cleaned_data
        today = timezone.localdate()
        if values["region_obj"] is not None and "region" not in skip:
            region_ids = queryset.model.objects.for_region(values["region_obj"]).order_by().values("pk")
            queryset = queryset.filter(pk__in=region_ids)
        if values["topic_obj"] is not None and "topic" not in skip:
            queryset = queryset.filter(topics=values["topic_obj"])
        if values["status_value"] and "status" not in skip:
            queryset = queryset.filter(status_q(values["status_value"], today))
        if values["start"]:
            queryset = queryset.filter(effective_date__gte=values["start"])
        if values["end"]:
            queryset = queryset.filter(effective_date__lte=values["end"])
        return queryset

    def topic_counts(self, queryset):
        """[(topic, count)] over the other filters, every topic listed (0 included) so choices stay put."""
        ids = self.filter(queryset, skip=("topic",)).values("pk")
        return list(
            PolicyTopic.objects.annotate(n=Count("news", filter=Q(news__in=ids), distinct=True)).order_by("name")
        )

    def status_counts(self, queryset):
        """{status: count} over the other filters."""
        today = timezone.localdate()
        base = queryset.model.objects.filter(pk__in=self.filter(queryset, skip=("status",)).values("pk"))
        return base.aggregate(**{key: Count("pk", filter=status_q(key, today)) for key, _label in STATUS_CHOICES})


def listing_context(page, request):
    """What policy_index_page.html shows: the filter form, its messages, facet counts and one page of news."""
    form = PolicyFilterForm(request.GET)
    form.is_valid()
    under_page = PolicyNewsPage.objects.descendant_of(page).visible()
    news = form.filter(under_page).for_cards().order_by("-effective_date", "-pk")
    status_counts = form.status_counts(under_page)
    values = form.cleaned_data
    return {
        "filter_form": form,
        "filter_messages": form.messages,
        "filter_values": {
            "region": values.get("region", "").strip(),
            "topic": values.get("topic", "").strip(),
            "status": values.get("status_value", ""),
            "from": values["start"].isoformat() if values.get("start") else "",
            "to": values["end"].isoformat() if values.get("end") else "",
        },
        "filtered": any(request.GET.get(key) for key in ("region", "topic", "status", "from", "to")),
        "region_options": subscribable_regions(),
        "topic_counts": form.topic_counts(under_page),
        "status_counts": [(key, label, status_counts[key]) for key, label in STATUS_CHOICES],
        # get_page() turns a missing, malformed or out-of-range ?page= into a valid page, never a 500.
        "news": Paginator(news, 20).get_page(request.GET.get("page")),
    }
