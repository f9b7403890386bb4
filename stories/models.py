"""The stories app's models, by content: brand stories, broadcasts, policy news. Django registers what is named here."""

from .broadcasts.models import (
    BroadcastCaptionTrack,
    BroadcastChapter,
    BroadcastQuerySet,
    BroadcastReminder,
    BroadcastReplayPage,
    ReplayIndexPage,
)
from .policy.models import (
    PolicyAttachment,
    PolicyNewsPage,
    PolicyNewsQuerySet,
    PolicyNotification,
    PolicySubscription,
    PolicyTopic,
)
from .policy.sections import PolicyIndexPage
from .story.models import BrandStoryPage, BrandStoryQuerySet, StoryIndexPage

__all__ = [
    "BrandStoryPage",
    "BrandStoryQuerySet",
    "BroadcastCaptionTrack",
    "BroadcastChapter",
    "BroadcastQuerySet",
    "BroadcastReminder",
    "BroadcastReplayPage",
    "PolicyAttachment",
    "PolicyIndexPage",
    "PolicyNewsPage",
    "PolicyNewsQuerySet",
    "PolicyNotification",
    "PolicySubscription",
    "PolicyTopic",
    "ReplayIndexPage",
    "StoryIndexPage",
]
