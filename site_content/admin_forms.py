"""Admin forms every page and slugged snippet uses: pinyin slugs, and errors named where they are.

An editor's first Chinese page used to fail twice over: the slug came out empty (Wagtail keeps slugs
ASCII here and knows no pinyin), and the banner said only that there were errors while the error sat
on another tab. These forms fill an empty slug from the title (site_content/slugs.py) and, when a form
is refused, add one line to the banner naming each field in error and the tab it is on.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, TabbedInterface, get_edit_handler
from wagtail.models import Page

from .rooms import ChosenFilesFormMixin, can_change_slug
from .slugs import pinyin_slug, unique_slug

SLUG_HELP = _(
    "The page's name in its web address, e.g. /stories/[qiangweiwan-daohuayu]/. Left empty, it is made "
    "from the title (Chinese becomes pinyin)."
)
NO_SLUG = _("This title has no letters, digits or Chinese to make a web address from: type a slug.")


def _panel_labels(panel, form):
    """(name, label) of each field and inline panel under `panel`, in the order the editor sees them."""
    if isinstance(panel, FieldPanel):
        if panel.field_name in form.fields:
            return [(panel.field_name, form[panel.field_name].label)]
        return []
    if isinstance(panel, InlinePanel):
        return [(panel.relation_name, panel.heading or panel.label or panel.relation_name)]
    labels = []
    for child in getattr(panel, "children", ()):
        labels += _panel_labels(child, form)
    return labels


def _edit_handler(model):
    return model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)


class NamedErrorsMixin:
    """A refused form says in its banner which fields to fix, and on which tab.

    Wagtail's banner lists the errors only when the form has a non-field error, so the summary is one:
    the banner then reads e.g. "Fix these fields: “Promote” tab: Slug", with each field's own message.
    """

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            summary = self.error_summary()
            if summary:
                self.add_error(None, summary)
        return valid

    def _fields_in_error(self):
        names = {name for name in self.errors if name != "__all__"}
        for name, formset in getattr(self, "formsets", {}).items():
            if formset.total_error_count():
                names.add(name)
        return names

    def error_summary(self):
        in_error = self._fields_in_error()
        if not in_error:
            return None
        handler = _edit_handler(type(self.instance))
        tabs = handler.children if isinstance(handler, TabbedInterface) else [handler]
        separator = pgettext("between items of a list", ", ")
        parts, named = [], set()
        for tab in tabs:
            labels = [str(label) for name, label in _panel_labels(tab, self) if name in in_error]
            named |= {name for name, _label in _panel_labels(tab, self) if name in in_error}
            if labels and len(tabs) > 1:
                parts.append(_("“%(tab)s” tab: %(fields)s") % {"tab": tab.heading, "fields": separator.join(labels)})
            elif labels:
                parts.append(separator.join(labels))
        # Fields outside any panel (none today) are still named rather than left out.
        parts += [str(self[name].label) for name in sorted(in_error - named) if name in self.fields]
        return _("Fix these fields: %(fields)s.") % {"fields": pgettext("between groups of a list", "; ").join(parts)}


def _slug_endpoint(**params):
    return f"{reverse('farmcast_pinyin_slug')}?{urlencode({k: v for k, v in params.items() if v})}"


class FarmcastPageForm(ChosenFilesFormMixin, NamedErrorsMixin, WagtailAdminPageForm):
    """Every page's admin form: an empty slug becomes the title's pinyin, unique among its siblings.

    A published section's slug is fixed for everyone but superusers (site_content/rooms.py), and only
    files the editor may choose are accepted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and self.instance.pk and self.for_user is not None:
            if not can_change_slug(self.instance, self.for_user):
                # Disabled: whatever is posted, the slug stays the one readers' printed URLs use.
                self.fields["slug"].disabled = True
                self.initial["slug"] = Page.objects.filter(pk=self.instance.pk).values_list("slug", flat=True).first()
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP
            # Where static/js/admin-pinyin-slug.js asks for the slug of a Chinese title as it is typed.
            parent = getattr(self.parent_page, "pk", None)
            self.fields["slug"].widget.attrs["data-pinyin-slug-url"] = _slug_endpoint(
                parent=parent, page=self.instance.pk
            )

    def clean(self):
        if "slug" in self.fields and not self.cleaned_data.get("slug") and "slug" not in self.errors:
            base = pinyin_slug(self.cleaned_data.get("title") or "")
            if base:
                self.cleaned_data["slug"] = unique_slug(
                    base, lambda slug: not Page._slug_is_available(slug, self.parent_page, self.instance)
                )
            elif "title" not in self.errors:
                self.add_error("slug", NO_SLUG)
        return super().clean()


def snippet_slug_is_taken(model, instance):
    def is_taken(slug):
        return model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists()

    return is_taken


class SlugFromNameForm(NamedErrorsMixin, WagtailAdminModelForm):
    """Snippets with a slug (regions, categories, certification types, policy topics): an empty slug
    becomes the pinyin of the Chinese name, unique in its table."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            meta = self._meta.model._meta
            self.fields["slug"].widget.attrs["data-pinyin-slug-url"] = _slug_endpoint(
                model=meta.label_lower, pk=self.instance.pk
            )

    def clean(self):
        cleaned_data = super().clean()
        if "slug" in self.fields and not cleaned_data.get("slug") and "slug" not in self.errors:
            base = pinyin_slug(cleaned_data.get("name") or "")
            if base:
                cleaned_data["slug"] = unique_slug(base, snippet_slug_is_taken(self._meta.model, self.instance))
            elif "name" not in self.errors:
                self.add_error("slug", NO_SLUG)
        return cleaned_data


def slugged_model(label):
    """The snippet model named `label` ("site_content.region") if its admin form fills slugs, else None."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    form_class = getattr(model, "base_form_class", None)
    return model if isinstance(form_class, type) and issubclass(form_class, SlugFromNameForm) else None
