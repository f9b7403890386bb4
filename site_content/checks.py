"""`check --deploy` warnings for a client address that can be forged, or that every visitor shares."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .client import trusted_proxy_count


@register(Tags.security, deploy=True)
def client_address_setup(app_configs, **kwargs):
    header = getattr(settings, "CLIENT_IP_HEADER", None)
    if header and trusted_proxy_count() < 1:
        return [
            Warning(
                f"CLIENT_IP_HEADER is {header} but TRUSTED_PROXY_COUNT is 0, so the header is ignored and every "
                "visitor has the address of the nearest proxy.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that add to the header (usually 1).",
                id="farmcast.W101",
            )
        ]
    if not header and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [
            Warning(
                "The site expects a reverse proxy (SECURE_PROXY_SSL_HEADER) but CLIENT_IP_HEADER is not set: every "
                "visitor has the proxy's address, so anyone's five wrong passwords lock an editor out for everyone "
                "and rate limits count the whole world as one visitor.",
                hint='Set CLIENT_IP_HEADER (e.g. "HTTP_X_FORWARDED_FOR") and TRUSTED_PROXY_COUNT.',
                id="farmcast.W102",
            )
        ]
    return []
