"""Readers who follow a brand by email ("关注"), and the emails they were sent: one per event, ever."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from site_content.mailing import Subscriber, SubscriberQuerySet


class BrandFollowQuerySet(SubscriberQuerySet):
    def of_brand(self, brand):
        """Followers of `brand` in any language: a reader who followed the English page hears of Chinese news too."""
        return self.filter(brand__translation_key=brand.translation_key)


class BrandFollow(Subscriber):
    """An address that hears once when the brand schedules a broadcast or publishes a story."""

    brand = models.ForeignKey(
        "brands.FarmBrandPage", verbose_name=_("brand"), on_delete=models.CASCADE, related_name="followers"
    )

    objects = BrandFollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("brand follower")
        verbose_name_plural = _("brand followers")
        constraints = [models.UniqueConstraint(fields=["brand", "email"], name="brand_follow_once")]


class FollowNotice(models.Model):
    """One email sent about one event: the unique pair keeps a republished story or a rescheduled broadcast quiet."""

    follow = models.ForeignKey(BrandFollow, on_delete=models.CASCADE, related_name="notices")
    # "story:<translation key>" or "broadcast:<translation key>": all languages are one event.
    event = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower email")
        constraints = [models.UniqueConstraint(fields=["follow", "event"], name="follow_notice_once")]
