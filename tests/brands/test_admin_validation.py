"""The admin refuses brand and product data that cannot be true, naming the field at fault."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from brands.models import FarmBrandPage, ProductPage
from tests.admin_forms import edit_form_data, form_errors

pytestmark = pytest.mark.django_db


def add_product_url(brand):
    return reverse("wagtailadmin_pages:add", args=("brands", "productpage", brand.pk))


def product_form(category, buy_links=(), **overrides):
    """What the admin's "add product" form posts, filled with a valid product."""
    data = {
        "title": "五常大米 新米",
        "slug": "wuchang-new-rice",
        "category": category.pk,
        "summary": "稻花香2号",
        "description": rich_text("<p>当季新米。</p>"),
        "gallery_images": inline_formset([]),
        "season_start": "9",
        "season_end": "11",
        "price": "89.00",
        "unit": "5 kg",
        "sales_volume": "120",
        "gtin": "",
        "buy_links": inline_formset(list(buy_links)),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_valid_product_is_published(admin_client, brand, category):
    """The baseline the rejections are measured against: a valid product form publishes."""
    response = admin_client.post(add_product_url(brand), product_form(category))
    assert response.status_code == 302
    product = ProductPage.objects.get(slug="wuchang-new-rice")
    assert product.live
    assert product.get_parent().pk == brand.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"sales_volume": "-5"}, "sales_volume"),
        ({"season_start": "13"}, "season_start"),
        ({"season_end": "0"}, "season_end"),
        ({"season_start": "9", "season_end": ""}, "season_end"),
        ({"season_start": "", "season_end": "11"}, "season_start"),
    ],
    ids=["negative-price", "negative-sales", "month-13", "month-0", "season-without-end", "season-without-start"],
)
def test_impossible_product_data_is_refused_on_its_field(admin_client, brand, category, overrides, field):
    """Negative numbers and months outside 1-12 come back as an error on that field; nothing is saved."""
    response = admin_client.post(add_product_url(brand), product_form(category, **overrides))
    errors = form_errors(response)
    assert field in errors, errors
    assert not ProductPage.objects.filter(slug="wuchang-new-rice").exists()


def test_where_to_buy_link_must_be_http(admin_client, brand, category):
    """A javascript: link in "where to buy" is refused on the link's own field."""
    data = product_form(category, buy_links=[{"label": "天猫旗舰店", "url": "javascript:alert(1)"}])
    response = admin_client.post(add_product_url(brand), data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["buy_links"]
    assert "url" in formset.errors[0], formset.errors
    assert not ProductPage.objects.filter(slug="wuchang-new-rice").exists()


@pytest.mark.parametrize("field", ["shop_url", "live_room_url"])
@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.com/shop", "data:text/html,<script>"])
def test_brand_links_must_be_http(admin_client, brand, field, link):
    """Brand links that would not open a web page (or would run script) are refused on their field."""
    path = reverse("wagtailadmin_pages:edit", args=(brand.pk,))
    response = admin_client.post(path, edit_form_data(admin_client, brand, **{field: link}))
    errors = form_errors(response)
    assert field in errors, errors
    assert getattr(FarmBrandPage.objects.get(pk=brand.pk), field) != link


def test_bad_input_never_gives_a_server_error(admin_client, brand, category):
    """Nonsense in number and choice fields is a form error, not a 500."""
    data = product_form(category, price="abc", sales_volume="1e99", season_start="九月")
    data["category"] = "999999"
    errors = form_errors(admin_client.post(add_product_url(brand), data))
    assert {"price", "sales_volume", "season_start", "category"} <= set(errors)
