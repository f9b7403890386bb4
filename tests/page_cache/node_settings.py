"""Production settings for the two web nodes of test_shared_cache.py, with what plain HTTP on loopback needs.

Static files are served from the apps' folders (no collectstatic: the test is about the cache), and
cookies are not marked Secure, so the test's HTTP client can log in to the admin without TLS.
"""

from site_content.settings.production import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test process creates the editor with the tests' fast hasher (site_content/settings/test.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
