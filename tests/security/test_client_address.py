"""The client's address, which every rate limit and the login lockout count by (issue 17, item 7).

The first X-Forwarded-For entry is whatever the client sent; only the hops the site's own proxies added
can be trusted, so the address is the right-most one they did not add.
"""

import pytest
from django.core.checks import run_checks

from site_content.client import client_ip


def test_the_client_address_is_the_right_most_untrusted_hop(rf, settings):
    """Behind one trusted proxy, a forged first X-Forwarded-For entry is ignored: the proxy's last entry counts."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


def test_two_proxies_skip_the_one_the_outer_proxy_added(rf, settings):
    """With a CDN in front of nginx, the client is the second hop from the right, whatever it prepended."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 198.51.100.1", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


def test_a_request_that_skipped_the_proxies_has_its_socket_address(rf, settings):
    """Fewer hops than trusted proxies: the request did not come through them, so the header is not believed."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="203.0.113.50")
    assert client_ip(request) == "203.0.113.50"


@pytest.mark.parametrize(
    ("header", "proxies", "warning"),
    [
        ("HTTP_X_FORWARDED_FOR", 0, "farmcast.W101"),
        (None, 0, "farmcast.W102"),
    ],
)
def test_check_deploy_warns_about_a_risky_client_address_setup(settings, header, proxies, warning):
    """`check --deploy` says when the client address can be forged, or when every visitor may share the proxy's."""
    settings.CLIENT_IP_HEADER = header
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert warning in ids
