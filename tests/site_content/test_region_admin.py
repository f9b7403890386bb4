"""Regions: the admin enforces official 6-digit codes, unique codes and a province ⊃ city ⊃ county tree."""

import pytest
from django.urls import reverse

from site_content.models import Region

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_site_content_region:add")


def region_form(**overrides):
    data = {"name": "哈尔滨市", "name_en": "Harbin", "code": "230100", "slug": "harbin", "level": "2", "parent": ""}
    data.update(overrides)
    return data


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def test_valid_city_is_saved(admin_client, region):
    """Baseline: a city inside its province, with its official code, is saved."""
    response = admin_client.post(ADD_URL, region_form(parent=region.pk))
    assert response.status_code == 302
    assert Region.objects.get(code="230100").parent == region


@pytest.mark.parametrize("code", ["23010", "2301000", "23010a", "２３０１００", " "])
def test_code_must_be_six_digits(admin_client, region, code):
    """Codes that are not exactly six ASCII digits are refused on the code field."""
    response = admin_client.post(ADD_URL, region_form(parent=region.pk, code=code))
    assert "code" in errors_of(response)
    assert not Region.objects.filter(slug="harbin").exists()


def test_code_must_be_unique(admin_client, region):
    """A second region with an existing code is refused on the code field."""
    response = admin_client.post(ADD_URL, region_form(code=region.code, level="1", slug="duplicate"))
    assert "code" in errors_of(response)
    assert Region.objects.filter(code=region.code).count() == 1


def test_city_must_be_part_of_a_larger_region(admin_client, region):
    """A city under another city (not a larger region) is refused on its parent."""
    city = Region.objects.create(name="齐齐哈尔市", code="230200", slug="qiqihar", level=2, parent=region)
    response = admin_client.post(ADD_URL, region_form(parent=city.pk))
    assert "parent" in errors_of(response)


def test_county_under_county_is_refused(admin_client, region):
    """The tree has three levels, each strictly inside the one above."""
    city = Region.objects.create(name="哈尔滨市", code="230100", slug="harbin-city", level=2, parent=region)
    county = Region.objects.create(name="五常市", code="230184", slug="wuchang", level=3, parent=city)
    response = admin_client.post(ADD_URL, region_form(code="230185", slug="x", level="3", parent=county.pk))
    assert "parent" in errors_of(response)


def test_city_needs_a_parent(admin_client):
    """A city floating outside any province is refused on its parent."""
    response = admin_client.post(ADD_URL, region_form(parent=""))
    assert "parent" in errors_of(response)


def test_province_cannot_be_part_of_another_province(admin_client, region):
    """A province placed under a province is refused."""
    response = admin_client.post(ADD_URL, region_form(code="220000", slug="jilin", level="1", parent=region.pk))
    assert "parent" in errors_of(response)
