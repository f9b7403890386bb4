"""Readers' mail lists about a page: "提醒我 / Remind me" (/reminders/) and "关注 / Follow" (/follow/).

`urlpatterns` go inside the language prefix (their pages are read); `one_click_urlpatterns` outside it,
for the mail providers that POST RFC 8058 one-click unsubscribes (stories/signups.py).
"""

from .broadcasts.reminders import REMINDERS
from .follows.follows import FOLLOWS

urlpatterns = REMINDERS.urlpatterns("reminders") + FOLLOWS.urlpatterns("follow")
one_click_urlpatterns = REMINDERS.one_click_urlpatterns("reminders") + FOLLOWS.one_click_urlpatterns("follow")
