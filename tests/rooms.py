"""A small world of rooms for permission tests: two governments, two brands, their people and their things.

Each government is set up by `setup_policy_region` (its section, editor and reviewer groups, collection,
workflow). `brand_editors` is the old demo's one group for every brand (add, change and publish on
/brands/, /stories/ and /replays/); `own_brand_editor` edits the first brand only, the way a brand's own
group did before `brand_setup`. `rooms_with_brand_setup()` adds the brands' own rooms (`brand_setup`) and
the site-wide feedback moderators, for the permission matrix.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import querydict_from_html

from brands.models import Batch, Certificate, ProvenanceEvent
from stories.models import PolicyAttachment
from stories.policy.permissions import setup_policy_region
from tests import factories

PASSWORD = "farmcast-test"  # noqa: S105
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FEEDBACK_MODERATION = ("view_review", "change_review", "view_question", "change_question")


def make_user(username, *groups, superuser=False):
    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    user = model.objects.create_user(username, f"{username}@example.com", PASSWORD)
    user.groups.set(groups)
    return user


def _access_admin():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def make_brand_editors(site_tree):
    """Like the demo's brand editors: add, change and publish on brands, stories and replays."""
    group = Group.objects.create(name="Brand editors")
    group.permissions.add(_access_admin())
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for page in (site_tree.brands, site_tree.stories, site_tree.replays):
            GroupPagePermission.objects.create(group=group, page=page, permission=permission)
    return group


def make_one_brand_editors(brand, name="One brand's editors"):
    """Add, change and publish on one brand's page and products, and moderation of its feedback."""
    group = Group.objects.create(name=name)
    group.permissions.add(_access_admin(), *Permission.objects.filter(codename__in=FEEDBACK_MODERATION))
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.create(group=group, page=brand, permission=permission)
    return group


def make_document(title, collection, name="attachment.pdf", content=PDF):
    return get_document_model().objects.create(title=title, collection=collection, file=ContentFile(content, name=name))


def post_replacement(client, file, name, content):
    """POST the file's admin edit form, as the admin sends it (title, collection, tags...), with new bytes.

    Someone the admin does not show the form to gets the bare fields, so the refusal is the server's.
    """
    view = "wagtaildocs:edit" if isinstance(file, get_document_model()) else "wagtailimages:edit"
    url = reverse(view, args=(file.pk,))
    response = client.get(url)
    if response.status_code == 200:
        data = querydict_from_html(response.content.decode(), form_id="w-editor-form").dict()
    else:
        data = {"title": file.title, "collection": str(file.collection_id)}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(url, data)


def make_batch(product, region, **kw):
    kw.setdefault("quantity", Decimal("100"))
    kw.setdefault("unit", "kg")
    kw.setdefault("harvest_date", timezone.localdate() - datetime.timedelta(days=30))
    batch = Batch.objects.create(product=product, **kw)
    ProvenanceEvent.objects.create(
        batch=batch,
        stage=ProvenanceEvent.Stage.HARVEST,
        occurred_at=timezone.now() - datetime.timedelta(days=29),
        region=region,
        actor=f"{product.title}合作社",
    )
    return batch


def make_certificate(product, **kw):
    today = timezone.localdate()
    kw.setdefault("certification_type", factories.make_certification())
    kw.setdefault("number", f"CERT-{product.pk}")
    kw.setdefault("issuer", "认证中心")
    kw.setdefault("valid_from", today - datetime.timedelta(days=100))
    kw.setdefault("valid_to", today + datetime.timedelta(days=265))
    return Certificate.objects.create(product=product, **kw)


@dataclass
class Rooms:
    tree: object
    home: object  # Heilongjiang's PolicyRegion
    other: object  # Jiangxi's PolicyRegion
    home_news: object
    other_news: object
    other_draft: object
    brand: object
    product: object
    other_brand: object
    other_product: object
    story: object
    broadcast: object
    users: dict
    things: dict = field(default_factory=dict)


def build_rooms():
    tree = factories.make_site_tree()
    heilongjiang = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    jiangxi = factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi")
    home = setup_policy_region(heilongjiang)
    other = setup_policy_region(jiangxi)
    brand = factories.make_brand(tree.brands, title="五常稻香", slug="daoxiang", region=heilongjiang)
    product = factories.make_product(brand, title="五常大米", slug="wuchang-rice")
    other_brand = factories.make_brand(tree.brands, title="赣南果园", slug="gannan", region=jiangxi)
    other_product = factories.make_product(other_brand, title="赣南脐橙", slug="navel-orange")
    other_draft = factories.make_policy_news(other.section, title="江西草稿通知", authority="江西省农业农村厅")
    other_draft.unpublish()
    users = {
        "superuser": make_user("root", superuser=True),
        "editor": make_user("gov-editor", home.editors),
        "reviewer": make_user("gov-reviewer", home.reviewers),
        "other_editor": make_user("other-editor", other.editors),
        "brand_editor": make_user("brand-editor", make_brand_editors(tree)),
        "own_brand_editor": make_user("own-brand-editor", make_one_brand_editors(brand)),
    }
    home_news = factories.make_policy_news(home.section, title="黑龙江春耕通知")
    attachment = make_document("春耕补贴细则", home.collection, name="chungeng.pdf")
    PolicyAttachment.objects.create(page=home_news, document=attachment, sort_order=0)
    home_news.save_revision().publish()
    return Rooms(
        tree=tree,
        home=home,
        other=other,
        home_news=home_news,
        other_news=factories.make_policy_news(other.section, title="江西春耕通知", authority="江西省农业农村厅"),
        other_draft=other_draft,
        brand=brand,
        product=product,
        other_brand=other_brand,
        other_product=other_product,
        story=factories.make_story(tree.stories, brand=brand),
        broadcast=factories.make_broadcast(tree.replays, brand=brand, slug="harvest-live"),
        users=users,
        things={"attachment": attachment, "other_document": make_document("江西附件", other.collection, "jx.pdf")},
    )


def add_brand_rooms(rooms):
    """Each brand's room from `setup_brand`, its editor, and a site-wide feedback moderator."""
    from brands.rooms import setup_brand
    from feedback.demo import grant_moderation

    for key, brand in (("brand_editor", rooms.brand), ("other_brand_editor", rooms.other_brand)):
        room = setup_brand(brand, stories=rooms.tree.stories, replays=rooms.tree.replays)
        rooms.things[f"{key}_room"] = room
        rooms.users[key] = make_user(f"room-{key.replace('_', '-')}", room.editors)
    rooms.users["moderator"] = make_user("moderator", grant_moderation())
    return rooms
