"""Readers' mail lists about a page: "提醒我 / Remind me" (/reminders/) on an upcoming broadcast.

`urlpatterns` go inside the language prefix (their pages are read); `one_click_urlpatterns` outside it,
for the mail providers that POST RFC 8058 one-click unsubscribes (stories/signups.py).
"""

from .broadcasts.reminders import REMINDERS

urlpatterns = REMINDERS.urlpatterns("reminders")
one_click_urlpatterns = REMINDERS.one_click_urlpatterns("reminders")
