"""The stories app's models, by content: brand stories, broadcasts, policy news. Django registers what is named here."""

from .broadcasts.models import (
    BroadcastCaptionTrack,
    BroadcastChapter,
    BroadcastQuerySet,
    BroadcastReminder,
    BroadcastReplayPage,
    ReplayIndexPage,
)
from .follows.models import BrandFollow, FollowNotice
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
    "BrandFollow",
    "BrandStoryPage",
    "BrandStoryQuerySet",
    "BroadcastCaptionTrack",
    "BroadcastChapter",
    "BroadcastQuerySet",
    "BroadcastReminder",
    "BroadcastReplayPage",
    "FollowNotice",
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
