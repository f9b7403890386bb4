from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_pinyin_slug_url():
    return [path("pinyin-slug/", admin_views.slug_for_title, name="farmcast_pinyin_slug")]


@hooks.register("insert_global_admin_js")
def pinyin_slug_script():
    # Every admin page: page editors and snippet editors (regions, categories...) both have slugs.
    return format_html('<script src="{}" defer></script>', static("js/admin-pinyin-slug.js"))
