"""Facts are kept once: a price, a date, a chapter's second changed in either language shows in both, cached or not."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from brands.models import ProductPage
from search.models import IndexOutbox
from stories.models import BroadcastChapter, BroadcastReplayPage, PolicyNewsPage
from tests import factories
from tests.admin_forms import edit_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated_product(product):
    """The product in Chinese and English, at ¥59.00, and the English brand index and brand around it."""
    product.price = Decimal("59.00")
    product.save_revision().publish()
    factories.make_english_translation(product.get_parent().specific, title="Wuchang Daoxiang")
    english = factories.make_english_translation(product, title="Wuchang rice", unit="5 kg bag")
    return ProductPage.objects.get(pk=product.pk), english


def _price_shown(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("changed_in", ["zh-hans", "en"])
def test_a_price_change_in_either_language_shows_on_both_pages_at_once_cached_or_not(
    client, page_cache_on, translated_product, django_capture_on_commit_callbacks, changed_in
):
    """Both product pages are cached at ¥59.00; a publish of ¥57.80 in one language purges and shows it in both."""
    chinese, english = translated_product
    for page in (chinese, english):
        client.get(page.url)
        assert _price_shown(client, page.url)["X-Farmcast-Cache"] == "hit"
        assert "59.00" in _price_shown(client, page.url).content.decode()
    edited = chinese if changed_in == "zh-hans" else english
    with django_capture_on_commit_callbacks(execute=True):
        edited.price = Decimal("57.80")
        edited.save_revision().publish()
    for page in (chinese, english):
        response = _price_shown(client, page.url)
        body = response.content.decode()
        assert response["X-Farmcast-Cache"] == "miss", f"{page.url} was not purged"
        assert "57.80" in body and "59.00" not in body, page.url
        assert ProductPage.objects.get(pk=page.pk).price == Decimal("57.80")


def test_an_editor_publishing_the_english_form_changes_the_chinese_price(admin_client, translated_product):
    """Through the admin: the English product's form publishes ¥61.50, and the Chinese page has it too."""
    chinese, english = translated_product
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=(english.pk,)), edit_form_data(admin_client, english, price="61.50")
    )
    assert response.status_code == 302, response
    chinese.refresh_from_db()
    assert chinese.price == Decimal("61.50")
    assert english.title == ProductPage.objects.get(pk=english.pk).title, "words stay the English editor's"
    assert ProductPage.objects.get(pk=chinese.pk).title != english.title


def test_an_older_draft_published_later_does_not_bring_back_the_old_price(translated_product):
    """An English draft saved at ¥59.00 before the Chinese change keeps ¥57.80 when it is published."""
    chinese, english = translated_product
    english.summary = "Fresh long-grain rice."
    draft = english.save_revision()
    chinese.price = Decimal("57.80")
    chinese.save_revision().publish()
    draft.refresh_from_db()
    draft.publish()
    english.refresh_from_db()
    chinese.refresh_from_db()
    assert english.summary == "Fresh long-grain rice."
    assert english.price == chinese.price == Decimal("57.80")


def test_words_stay_per_language_while_season_gtin_and_certificates_follow(translated_product, certification):
    """Season, GTIN and certificates changed in Chinese reach English; the English title and unit stay English."""
    chinese, english = translated_product
    other = factories.make_certification()
    chinese.season_start, chinese.season_end, chinese.gtin = 9, 11, "06901234567892"
    chinese.certifications = [certification, other]
    chinese.title = "五常大米 新米"
    chinese.save_revision().publish()
    english.refresh_from_db()
    assert (english.season_start, english.season_end, english.gtin) == (9, 11, "06901234567892")
    assert set(english.certifications.values_list("pk", flat=True)) == {certification.pk, other.pk}
    assert (english.title, english.unit) == ("Wuchang rice", "5 kg bag")


def test_a_saved_sales_volume_reaches_the_translations_and_their_search_documents(translated_product):
    """A script that saves a live product (an import of sales volumes) updates the English row and queues its document."""
    chinese, english = translated_product
    IndexOutbox.objects.all().delete()
    chinese.sales_volume = 4321
    chinese.save()
    assert ProductPage.objects.get(pk=english.pk).sales_volume == 4321
    assert IndexOutbox.objects.filter(page_id=english.pk).exists()


def test_a_translated_broadcast_points_at_the_products_in_its_language_and_follows_chapter_times(
    site_tree, broadcast, translated_product
):
    """A new English broadcast's chapters show the English product; moving a chapter in Chinese moves it in English."""
    chinese_product, english_product = translated_product
    BroadcastChapter.objects.create(page=broadcast, sort_order=0, start_seconds=0, title="开场")
    BroadcastChapter.objects.create(
        page=broadcast, sort_order=1, start_seconds=30, title="试吃", product=chinese_product
    )
    broadcast.save_revision().publish()
    factories.make_english_translation(site_tree.replays, title="Broadcasts")
    english = factories.make_english_translation(BroadcastReplayPage.objects.get(pk=broadcast.pk), title="Harvest live")
    english_chapters = list(english.chapters.order_by("sort_order"))
    assert english_chapters[1].product_id == english_product.pk
    english_chapters[1].title = "Tasting"
    english_chapters[1].save()

    chinese = BroadcastReplayPage.objects.get(pk=broadcast.pk)
    chapters = list(chinese.chapters.order_by("sort_order"))
    chapters[1].start_seconds = 42
    chinese.chapters = chapters
    chinese.scheduled_start -= datetime.timedelta(hours=1)
    chinese.save_revision().publish()

    english = BroadcastReplayPage.objects.get(pk=english.pk)
    tasting = english.chapters.order_by("sort_order")[1]
    assert (tasting.start_seconds, tasting.title, tasting.product_id) == (42, "Tasting", english_product.pk)
    assert english.scheduled_start == chinese.scheduled_start


def test_policy_regions_and_dates_are_kept_once(site_tree, policy_news, region):
    """Regions and dates of a policy changed in English are the Chinese page's too."""
    english = factories.make_english_translation(policy_news, title="Spring ploughing notice")
    county = factories.make_region(parent=region)
    english.regions = [region, county]
    english.effective_date, english.expiry_date = datetime.date(2026, 3, 1), datetime.date(2027, 3, 1)
    english.save_revision().publish()
    chinese = PolicyNewsPage.objects.get(pk=policy_news.pk)
    assert set(chinese.regions.values_list("pk", flat=True)) == {region.pk, county.pk}
    assert (chinese.effective_date, chinese.expiry_date) == (datetime.date(2026, 3, 1), datetime.date(2027, 3, 1))
