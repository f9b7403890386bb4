"""Fixtures for feedback tests: two brands with a product each, their editors, a moderator."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import GroupPagePermission

from feedback.demo import grant_moderation
from feedback.models import Answer, Question, Review, Status
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_brand(site_tree):
    return factories.make_brand(site_tree.brands, title="赣南脐橙园", slug="gannan-orange")


@pytest.fixture
def other_product(other_brand):
    return factories.make_product(other_brand, title="赣南脐橙", slug="gannan-navel-orange")


def make_editor(username, brand):
    """An admin user whose group may edit `brand` (and so its products) and moderate feedback."""
    group = Group.objects.create(name=f"{username} editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    grant_moderation(group)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=brand,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "password")
    user.groups.add(group)
    return user


@pytest.fixture
def brand_editor(brand):
    return make_editor("daoxiang", brand)


@pytest.fixture
def other_editor(other_brand):
    return make_editor("gannan", other_brand)


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user("moderator", "moderator@example.com", "password")
    user.groups.add(grant_moderation())
    return user


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.com", "password")


def review_on(product, **kw):
    """A confirmed review; approved unless `status=` says otherwise."""
    kw.setdefault("rating", 5)
    kw.setdefault("title", "很好吃")
    kw.setdefault("body", "米粒饱满，煮饭很香。")
    kw.setdefault("display_name", "王女士")
    kw.setdefault("email", "buyer@example.com")
    kw.setdefault("status", Status.APPROVED)
    kw.setdefault("confirmed_at", timezone.now())
    return Review.objects.create(product=product, **kw)


def question_on(page, **kw):
    kw.setdefault("body", "保质期多久？")
    kw.setdefault("display_name", "李先生")
    kw.setdefault("email", "asker@example.com")
    kw.setdefault("status", Status.APPROVED)
    kw.setdefault("confirmed_at", timezone.now())
    return Question.objects.create(page=page, **kw)


def answer(item, **kw):
    kw.setdefault("body", "谢谢支持！")
    field = "review" if isinstance(item, Review) else "question"
    return Answer.objects.create(**{field: item}, **kw)


def render_product_feedback(product, query="", brand=None):
    """Render `{% product_feedback page %}` the way the product template will, for a GET with `query`."""
    request = RequestFactory().get(f"/brands/x/y/{query}")
    template = engines["django"].from_string("{% load feedback_tags %}{% product_feedback page %}")
    return template.render({"page": product, "brand": brand}, request=request)
