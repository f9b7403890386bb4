"""RSS and Atom feeds of policy news: /policy/feed/rss/ and /policy/feed/atom/, filterable with `?region=&topic=`."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .filters import PolicyFilterForm
from .models import PolicyNewsPage

FEED_LENGTH = 50


class PolicyRssFeed(Feed):
    """The latest policy news under one PolicyIndexPage (all regions at /policy/, one in a section)."""

    feed_type = Rss201rev2Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.form = PolicyFilterForm(request.GET)
        self.form.is_valid()
        return self.index_page

    def title(self, obj):
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        parts = [obj.title]
        for key in ("region_obj", "topic_obj"):
            if filters.get(key) is not None:
                parts.append(filters[key].display_name)
        return " · ".join(parts)

    def link(self, obj):
        return obj.get_url(self.request)

    def description(self, obj):
        return obj.introduction or _("Policy news from local governments for farmers and co-ops.")

    def items(self, obj):
        news = PolicyNewsPage.objects.descendant_of(obj).visible().for_cards()
        # Newest published first: a reader's feed shows what changed, not what takes effect first.
        return self.form.filter(news).order_by("-first_published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        # From the request's host, like the channel's own link, so a feed read at one domain links to it.
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.first_published_at or _midnight(item.effective_date)

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at or _midnight(item.effective_date)

    def item_author_name(self, item):
        return item.authority

    def item_categories(self, item):
        return [topic.display_name for topic in item.topics.all()] + [r.display_name for r in item.regions.all()]


class PolicyAtomFeed(PolicyRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


def _midnight(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))
