"""The Wagtail admin speaks Chinese to this site's editors: catalogue gaps filled, errors named where they are."""

import re
import subprocess
from pathlib import Path

import pytest
import wagtail
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask
from wagtail.test.utils.form_data import querydict_from_html

from stories.models import BrandStoryPage
from tests import factories
from tests.admin_forms import stream_field_data
from tests.i18n.test_catalogues import parse_po

WAGTAIL = Path(wagtail.__file__).parent
OVERRIDES = Path(settings.BASE_DIR) / "locale" / "wagtail" / "zh_Hans" / "LC_MESSAGES"
# The Wagtail apps an editor of this site works in (INSTALLED_APPS; styleguide and search promotions are not).
EDITOR_APPS = (
    "",
    "admin",
    "snippets",
    "images",
    "documents",
    "users",
    "locales",
    "contrib/simple_translation",
    "contrib/forms",
    "contrib/redirects",
    "contrib/settings",
    "sites",
    "embeds",
)


def _msgids(po):
    return {(e.get("msgctxt"), e["msgid"]) for e in parse_po(po)} if po.exists() else set()


def _translated(po):
    if not po.exists():
        return set()
    return {(e.get("msgctxt"), e["msgid"]) for e in parse_po(po) if all(e["msgstr"]) and e["msgstr"]}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("app", EDITOR_APPS, ids=lambda app: app or "core")
def test_every_wagtail_message_has_chinese(app, domain):
    """Each msgid of Wagtail's English catalogue is translated by Wagtail's zh_Hans catalogue or by ours.

    Fails after a Wagtail upgrade that adds messages: translate the new ones in locale/wagtail/ (see its header).
    """
    locale = WAGTAIL / app / "locale"
    needed = _msgids(locale / "en" / "LC_MESSAGES" / f"{domain}.po")
    have = _translated(locale / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po")
    have |= _translated(OVERRIDES / f"{domain}.po")
    have |= _translated(Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po")
    missing = sorted(msgid for _context, msgid in needed - have)
    assert not missing, f"{len(missing)} Wagtail messages without Chinese: {missing[:10]}"


def test_override_catalogue_is_valid():
    """msgfmt --check accepts both override catalogues (placeholders, plural forms)."""
    for po in (OVERRIDES / "django.po", OVERRIDES / "djangojs.po"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


# --- Walking the admin as a Chinese editor ---------------------------------------------------------

# Latin words that are names or codes, the same in a Chinese interface.
ALLOWED = {
    "wagtail", "farmcast", "api", "url", "urls", "seo", "id", "json", "csv", "xlsx", "pdf", "docx", "jpg", "jpeg",
    "png", "webp", "gif", "svg", "vtt", "webm", "mp4", "html", "utf", "english", "gtin", "admin", "ok", "cny",
    "heilongjiang", "wuchang", "daoxiang", "rice", "gi", "example", "com", "https", "http", "www", "kb", "mb",
    "px", "x", "zh", "hans", "en", "wuchang-rice", "editor", "gov", "reviewer", "brand", "story",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
URL = re.compile(r"^(/|https?://)\S*$")
# Known Wagtail 8.0 slips the same in every language: the page search header is given model_name=None.
WAGTAIL_SLIPS = {"search": {"None"}}


def english_words(html):
    """Latin words a reader sees on an admin page (text and labels), minus names, codes and the page's data."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "noscript", "svg", "code", "textarea", "select"]):
        tag.decompose()
    for tag in soup.select("input, [hidden], .w-hidden"):
        tag.decompose()
    # Web addresses are shown as they are (the explorer shows each page's URL).
    texts = [text for text in soup.stripped_strings if not URL.match(text)]
    for tag in soup.find_all(attrs={"aria-label": True}):
        texts.append(tag["aria-label"])
    for tag in soup.find_all(attrs={"title": True}):
        texts.append(tag["title"])
    words = set()
    for text in texts:
        for word in WORD.findall(text):
            if word.lower().strip("'’-") not in ALLOWED:
                words.add(word)
    return words


@pytest.fixture
def chinese_editor_world(site_tree, admin_user):
    region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    brand = factories.make_brand(site_tree.brands, title="五常稻香", slug="wuchang-daoxiang", region=region)
    story = factories.make_story(site_tree.stories, brand=brand)
    factories.make_image(title="稻田")
    return {"tree": site_tree, "region": region, "brand": brand, "story": story}


def admin_pages(world):
    tree, story, region = world["tree"], world["story"], world["region"]
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=(tree.stories.pk,)),
        "add story": reverse("wagtailadmin_pages:add", args=("stories", "brandstorypage", tree.stories.pk)),
        "edit story": reverse("wagtailadmin_pages:edit", args=(story.pk,)),
        "page history": reverse("wagtailadmin_pages:history", args=(story.pk,)),
        "regions": reverse("wagtailsnippets_site_content_region:list"),
        "add region": reverse("wagtailsnippets_site_content_region:add"),
        "edit region": reverse("wagtailsnippets_site_content_region:edit", args=(region.pk,)),
        "images": reverse("wagtailimages:index"),
        "add image": reverse("wagtailimages:add_multiple"),
        "documents": reverse("wagtaildocs:index"),
        "add document": reverse("wagtaildocs:add_multiple"),
        "account": reverse("wagtailadmin_account"),
        "search": reverse("wagtailadmin_pages:search") + "?q=稻",
    }


@pytest.mark.django_db
def test_admin_pages_have_no_english_for_a_chinese_editor(admin_client, chinese_editor_world):
    """Dashboard, explorer, page and snippet editors, images, documents, account: no untranslated interface word."""
    found = {}
    for name, url in admin_pages(chinese_editor_world).items():
        response = admin_client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        words = english_words(response.content.decode()) - WAGTAIL_SLIPS.get(name, set())
        if words:
            found[name] = sorted(words)
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


def story_form(client, parent, **fields):
    url = reverse("wagtailadmin_pages:add", args=("stories", "brandstorypage", parent.pk))
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(stream_field_data(BrandStoryPage))
    data.update({"title": "蔷薇湾稻花鱼", "introduction": "稻田里养出的第二份收成。", "slug": ""})
    data.update(fields)
    return url, data


def banner(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(li.get_text(" ", strip=True) for li in soup.select(".messages li"))


@pytest.mark.django_db
def test_error_on_another_tab_is_named_in_the_banner(admin_client, chinese_editor_world):
    """An error on the Promote tab is flagged in that tab's section and named, with its tab, in the Chinese banner."""
    url, data = story_form(admin_client, chinese_editor_world["tree"].stories, slug="不合法 slug!", action_publish="1")
    data["action-publish"] = "action-publish"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    text = banner(response)
    assert "页面因验证错误而无法创建。" in text, text
    assert "请修改这些字段：“推荐”标签页：网址标识。" in text, text
    assert "网址标识: 请输入有效的网址标识：只能包含字母、数字、下划线或连字符。" in text, text
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    tab = next(a for a in soup.select("a[role=tab]") if a.get_text(" ", strip=True).startswith("推荐"))
    promote = soup.select_one(tab["href"])
    # Wagtail's w-count controller shows the number of errors on the tab from these.
    assert promote.select(".error-message"), "the error sits in the Promote tab's panel"
    assert tab.select_one("[data-controller=w-count]")["data-w-count-container-value"] == tab["href"]
    assert not english_words(response.content.decode()), english_words(response.content.decode())


@pytest.mark.django_db
def test_publish_and_review_flows_speak_chinese(client, chinese_editor_world):
    """A government editor's submit for review, and a brand editor's publish: every message and screen in Chinese."""
    from tests.policy.conftest import make_brand_editors, make_user

    tree = chinese_editor_world["tree"]
    editor = make_user("brand-editor", make_brand_editors(tree))
    client.force_login(editor)
    url, data = story_form(client, tree.stories)
    data["action-publish"] = "action-publish"
    response = client.post(url, data, follow=True)
    assert "已创建并发布" in banner(response), banner(response)
    assert not english_words(response.content.decode()), english_words(response.content.decode())

    # A room's own review (Wagtail's default root workflow is gone: home/migrations/0003).
    task = GroupApprovalTask.objects.create(name="品牌审核 Brand review")
    task.groups.set(editor.groups.all())
    workflow = Workflow.objects.create(name="品牌审核 Brand review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=tree.stories, defaults={"workflow": workflow})
    url, data = story_form(client, tree.stories, title="阳澄湖大闸蟹开捕")
    data["action-submit"] = "action-submit"
    response = client.post(url, data, follow=True)
    assert "已创建并提交审核" in banner(response), banner(response)
    assert not english_words(response.content.decode()), english_words(response.content.decode())


def test_a_choosers_buttons_speak_each_editors_language_not_the_first_ones():
    """Wagtail builds a form's widgets once per process: a chooser first built for an English editor must
    still write "选择 地区" for the Chinese editor after (site_content/snippets.py)."""
    from django.utils import translation

    from site_content.models import Region

    widget_class = Region.snippet_viewset.chooser_viewset.widget_class
    with translation.override("en"):
        widget = widget_class()
        assert "Choose region" in widget.render_html("parent", None, {"id": "id_parent"})
    with translation.override("zh-hans"):
        html = widget.render_html("parent", None, {"id": "id_parent"})
    assert "选择 地区" in html and "Choose" not in html


def test_every_snippet_chooser_is_the_one_that_follows_the_editors_language():
    from wagtail.snippets.models import get_snippet_models

    from site_content.snippets import SnippetChooser

    for model in get_snippet_models():
        assert issubclass(model.snippet_viewset.chooser_viewset.widget_class, SnippetChooser), model
