"""The recall feed: /trace/recalls/rss/ and /trace/recalls/atom/, every sealed recall of a batch visitors may see."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models.provenance import ProvenanceEvent

FEED_LENGTH = 50


class RecallRssFeed(Feed):
    feed_type = Rss201rev2Feed
    title = _("Farmcast: recalled batches")
    description = _("Batches their brands have recalled, newest first, with the reason and the batch's trace page.")
    item_guid_is_permalink = False

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("trace:lookup")

    def items(self):
        return ProvenanceEvent.objects.public_recalls()[:FEED_LENGTH]

    def item_title(self, item):
        return _("Recalled: %(product)s, batch %(code)s") % {
            "product": item.batch.product.title,
            "code": item.batch.display_code,
        }

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return self.request.build_absolute_uri(item.batch.get_absolute_url())

    def item_guid(self, item):
        # The recall's seal: it never changes, so a reader never sees one recall twice.
        return f"urn:farmcast:recall:{item.seal}"

    def item_pubdate(self, item):
        return item.occurred_at

    def item_updateddate(self, item):
        return item.sealed_at


class RecallAtomFeed(RecallRssFeed):
    feed_type = Atom1Feed
    subtitle = RecallRssFeed.description
