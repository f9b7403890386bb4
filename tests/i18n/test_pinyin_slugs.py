"""A Chinese title gets a readable pinyin slug: in the admin, on save, for snippets, unique among siblings."""

import pytest
from django.urls import reverse
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import querydict_from_html

from site_content.models import ProductCategory, Region
from site_content.slugs import MAX_LENGTH, pinyin_slug
from stories.models import BrandStoryPage, PolicyTopic
from tests import factories
from tests.admin_forms import form_errors, stream_field_data

TITLE = "蔷薇湾稻花鱼：稻田里养出的第二份收成"
SLUG = "qiangweiwan-daohuayu-daotianli-yangchude-dierfen"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, SLUG),
        ("五常大米 2026 新米上市", "wuchang-dami-2026-xinmi-shangshi"),
        ("重庆小面", "chongqing-xiaomian"),  # 重 read as in 重庆, not 重量
        ("绿色食品", "lvseshipin"),  # ü written v
        ("Ｗｕｃｈａｎｇ１２３ 大米", "wuchang123-dami"),  # full-width Latin and digits kept
        ("Café 咖啡", "cafe-kafei"),
        ("Spring sowing notice", "spring-sowing-notice"),
        ("！！！……", ""),
    ],
)
def test_slug_rule(title, slug):
    """Pinyin by word, one-character words joined to the word before, Latin and digits kept, punctuation dropped."""
    assert pinyin_slug(title) == slug


def test_slug_is_cut_between_words():
    """A long title's slug stops at the last whole word within 50 characters."""
    slug = pinyin_slug("中华人民共和国农业农村部关于印发全国乡村产业发展规划的通知")
    assert len(slug) <= MAX_LENGTH
    assert slug == "zhonghuarenmingongheguo-nongye-nongcunbu-guanyu"


def add_page_data(client, parent, model, **fields):
    """The admin's create form for `model` under `parent`, as an editor would submit it for publishing."""
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(stream_field_data(model))
    for key, value in fields.items():
        data[key] = value
    data["action-publish"] = "action-publish"
    return url, data


def create_story(client, parent, **fields):
    fields.setdefault("introduction", "一位种植户和他的稻田。")
    url, data = add_page_data(client, parent, BrandStoryPage, **fields)
    return client.post(url, data)


@pytest.mark.django_db
def test_chinese_title_publishes_with_pinyin_slug(admin_client, site_tree):
    """The issue's first page: a Chinese title, no slug typed, published on the first try with a pinyin slug."""
    response = create_story(admin_client, site_tree.stories, title=TITLE, slug="")
    assert response.status_code == 302, form_errors(response)
    story = BrandStoryPage.objects.get(title=TITLE)
    assert story.live
    assert story.slug == SLUG
    assert story.url == f"/stories/{SLUG}/"


@pytest.mark.django_db
def test_pinyin_slug_is_unique_among_siblings(admin_client, site_tree):
    """A second page with the same title under the same parent gets -2."""
    assert create_story(admin_client, site_tree.stories, title=TITLE, slug="").status_code == 302
    assert create_story(admin_client, site_tree.stories, title=TITLE, slug="").status_code == 302
    slugs = sorted(BrandStoryPage.objects.filter(title=TITLE).values_list("slug", flat=True))
    assert slugs == [SLUG, f"{SLUG}-2"]


@pytest.mark.django_db
def test_typed_slug_is_kept(admin_client, site_tree):
    """The slug stays editable: one the editor typed is published as typed."""
    response = create_story(admin_client, site_tree.stories, title=TITLE, slug="rice-fish")
    assert response.status_code == 302, form_errors(response)
    assert BrandStoryPage.objects.get(title=TITLE).slug == "rice-fish"


@pytest.mark.django_db
def test_title_without_letters_asks_for_a_slug(admin_client, site_tree):
    """A title that gives no slug is refused on the slug field, with a message saying what to do."""
    response = create_story(admin_client, site_tree.stories, title="！！！", slug="")
    assert "slug" in form_errors(response)


@pytest.mark.django_db
def test_page_saved_outside_the_admin_gets_pinyin_slug(site_tree):
    """Imports and scripts that leave the slug empty get the same pinyin slug as the admin would give."""
    story = factories.make_story(site_tree.stories, title="阳澄湖大闸蟹开捕", slug="")
    assert story.slug == "yangchenghu-dazhaxie-kaibu"


def snippet_add(client, model, **fields):
    url = reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:add")
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id=None)
    for key, value in fields.items():
        data[key] = value
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "fields", "slug"),
    [
        (Region, {"name": "黑龙江省", "code": "230000", "level": "1"}, "heilongjiangsheng"),
        (ProductCategory, {"name": "杂粮"}, "zaliang"),
        (PolicyTopic, {"name": "冷链物流"}, "lenglian-wuliu"),
    ],
    ids=["region", "category", "policy-topic"],
)
def test_snippet_slug_from_chinese_name(admin_client, model, fields, slug):
    """Snippets with slugs take the pinyin of their Chinese name when the slug is left empty."""
    response = snippet_add(admin_client, model, slug="", **fields)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert model.objects.get(name=fields["name"]).slug == slug


@pytest.mark.django_db
def test_snippet_pinyin_slug_is_unique():
    """Two categories with the same Chinese name get different slugs (snippet slugs are unique in their table)."""
    first = ProductCategory.objects.create(name="杂粮")
    second = ProductCategory.objects.create(name="杂粮")
    assert (first.slug, second.slug) == ("zaliang", "zaliang-2")


@pytest.mark.django_db
def test_slug_endpoint_answers_what_the_form_would_save(admin_client, site_tree):
    """As the editor types, the admin shows the slug the page would get: pinyin, unique among siblings."""
    factories.make_story(site_tree.stories, title=TITLE, slug=SLUG)
    url = reverse("farmcast_pinyin_slug")
    answer = admin_client.get(url, {"title": TITLE, "parent": site_tree.stories.pk}).json()
    assert answer == {"slug": f"{SLUG}-2"}
    mine = BrandStoryPage.objects.get(slug=SLUG)
    answer = admin_client.get(url, {"title": TITLE, "parent": site_tree.stories.pk, "page": mine.pk}).json()
    assert answer == {"slug": SLUG}, "a page does not clash with itself"
    assert admin_client.get(url, {"title": "杂粮", "model": "site_content.productcategory"}).json() == {
        "slug": "zaliang"
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"title": "米" * 256}, {"title": "米\x00"}, {"title": "米", "model": "auth.user"}, {"title": "米", "model": "x"}],
    ids=["too-long", "nul", "model-without-pinyin-slug", "no-such-model"],
)
def test_slug_endpoint_refuses_bad_input(admin_client, params):
    """Bad input is a 400 with a reason, never a 500."""
    assert admin_client.get(reverse("farmcast_pinyin_slug"), params).status_code == 400


@pytest.mark.django_db
def test_slug_endpoint_is_for_editors_only(client):
    """Visitors without admin access are sent to the login page."""
    response = client.get(reverse("farmcast_pinyin_slug"), {"title": TITLE})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_every_page_type_fills_pinyin_slugs():
    """Every page type of the site has the pinyin slug form and save rule (SeoMixin carries both)."""
    from site_content.admin_forms import FarmcastPageForm
    from site_content.slugs import PinyinSlugPageMixin

    page_types = [m for m in get_page_models() if m._meta.app_label != "wagtailcore"]
    assert len(page_types) >= 10
    for model in page_types:
        assert issubclass(model, PinyinSlugPageMixin), model
        assert issubclass(model.base_form_class, FarmcastPageForm), model
