"""schema.org JSON-LD for trace pages, which are Django views rather than Wagtail pages."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks

from site_content.seo import absolute_image_url

# Apps above brands add to a product's schema.org data through this Wagtail hook (feedback adds its
# rating): each function takes the product and returns a dict merged into the Product object.
PRODUCT_DATA_HOOK = "farmcast_product_structured_data"

# The same escaping as site_content's json_ld tag: no text can close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def contributed_product_data(product):
    """What the PRODUCT_DATA_HOOK functions add to `product`'s schema.org Product, merged in hook order."""
    data = {}
    for contribute in hooks.get_hooks(PRODUCT_DATA_HOOK):
        data.update(contribute(product))
    return data


def batch_data(request, batch, product, brand, certificates):
    url = request.build_absolute_uri(batch.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
        "sku": batch.display_code,
        "description": product.search_description or product.summary,
        "brand": {"@type": "Brand", "name": brand.title, "url": brand.get_full_url(request)},
        "category": product.category.display_name,
        "isRelatedTo": {"@type": "Product", "name": product.title, "url": product.get_full_url(request)},
    }
    if product.gtin:
        data["gtin"] = product.gtin
    if product.main_image:
        data["image"] = absolute_image_url(request, product.main_image)
    if batch.harvest_date:
        data["productionDate"] = batch.harvest_date.isoformat()
    valid = [c for c in certificates if not c.is_expired]
    if valid:
        data["hasCertification"] = [
            {
                "@type": "Certification",
                "name": c.certification_type.name,
                "certificationIdentification": c.number,
                "issuedBy": {"@type": "Organization", "name": c.issuer},
                "validFrom": c.valid_from.isoformat(),
                "expires": c.valid_to.isoformat(),
            }
            for c in valid
        ]
    return data


def batch_json_ld(request, batch, product, brand, certificates):
    text = json.dumps(batch_data(request, batch, product, brand, certificates), ensure_ascii=False, default=str)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_JSON_ESCAPES)))  # noqa: S308
