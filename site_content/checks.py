"""`check --deploy` warnings for setups that open a room's door: a forgeable or shared client address,
and documents served around Wagtail's privacy checks."""

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


@register(Tags.security, deploy=True)
def document_serving(app_configs, **kwargs):
    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    if method in (None, "serve_view"):
        return []
    return [
        Warning(
            f"WAGTAILDOCS_SERVE_METHOD is {method!r}: documents are then fetched from storage URLs, so a draft's "
            "attachment in a private collection can be downloaded by anyone who has its URL.",
            hint='Use "serve_view"; "redirect" is safe only with storage URLs that expire (signed), and then this '
            "warning may be silenced (SILENCED_SYSTEM_CHECKS).",
            id="farmcast.W103",
        )
    ]
