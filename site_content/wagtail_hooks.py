from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from . import admin_views
from .files import FILE_REPLACEMENT_HOOK
from .rooms import pages_user_may_see, refuse_replacing_live_pages_files


@hooks.register("register_admin_urls")
def register_pinyin_slug_url():
    return [path("pinyin-slug/", admin_views.slug_for_title, name="farmcast_pinyin_slug")]


@hooks.register("insert_global_admin_js")
def pinyin_slug_script():
    # Every admin page: page editors and snippet editors (regions, categories...) both have slugs.
    return format_html('<script src="{}" defer></script>', static("js/admin-pinyin-slug.js"))


# --- Rooms (site_content/rooms.py) ---------------------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def show_choosable_pages(pages, request):
    # Browsing and searching alike: another room's drafts and private pages are not the user's to see.
    return pages_user_may_see(pages, request.user)


hooks.register(FILE_REPLACEMENT_HOOK, refuse_replacing_live_pages_files)
