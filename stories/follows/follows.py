"""Following a brand ("关注 / Follow") on its page: the list's pages (stories/signups.py) and what its emails share."""

from django.conf import settings
from django.utils.translation import gettext as _

from brands.models import FarmBrandPage

from ..signups import Signup, absolute_url
from .models import BrandFollow

__all__ = ["FOLLOWS", "absolute_url", "mail_context", "unsubscribe_urls"]


class FollowSignup(Signup):
    kind = "follow"
    model = BrandFollow
    page_field = "brand"
    page_model = FarmBrandPage
    salt = "stories.follows.follow"
    per_client = 10
    per_address = 5
    confirm_template = "stories/follows/email_confirm.txt"

    def confirm_subject(self, page):
        return _("Please confirm that you follow %(brand)s") % {"brand": page.title}


FOLLOWS = FollowSignup()


def unsubscribe_urls(follow, brand):
    return FOLLOWS.unsubscribe_urls(follow, brand)


def mail_context(follow, brand, **extra):
    """What every follower email shows: the brand, its page, and how to stop."""
    unsubscribe_url, _one_click = unsubscribe_urls(follow, brand)
    return {
        "brand": brand,
        "brand_url": brand.get_full_url(),
        "unsubscribe_url": unsubscribe_url,
        "site_name": settings.WAGTAIL_SITE_NAME,
        **extra,
    }
