"""The ground every app stands on: the shared snippets (regions, categories, certification types) and site settings."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .admin_forms import SlugFromNameForm
from .slugs import PinyinSlugSnippetMixin

SIX_DIGITS = RegexValidator(r"^\d{6}$", _("Enter the official 6-digit administrative code."))


class BilingualNameMixin(models.Model):
    """A snippet named in Chinese and English; `display_name` follows the active language."""

    # The Chinese name fills the slug as it is typed (pinyin), as a page's title does.
    name_panel = TitleFieldPanel("name", classname="", placeholder=False, apply_if_live=True)

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self):
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self):
        return f"{self.name} / {self.name_en}" if self.name_en else self.name


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=Region.Level.PROVINCE)

    def with_ancestors(self):
        return self.select_related("parent__parent")

    def within(self, region):
        """`region` and its cities and counties (three levels: a county has no parts)."""
        return self.filter(models.Q(pk=region.pk) | models.Q(parent=region) | models.Q(parent__parent=region))


class Region(index.Indexed, PinyinSlugSnippetMixin, BilingualNameMixin):
    """An administrative region: province, city or county, with its official 6-digit code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County")

    code = models.CharField(_("administrative code"), max_length=6, unique=True, validators=[SIX_DIGITS])
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Used in URLs, e.g. heilongjiang"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.PROVINCE)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = RegionQuerySet.as_manager()
    base_form_class = SlugFromNameForm

    panels = [
        BilingualNameMixin.name_panel,
        FieldPanel("name_en"),
        FieldPanel("code"),
        FieldPanel("slug"),
        FieldPanel("level"),
        FieldPanel("parent"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def clean(self):
        errors = {}
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A region cannot be part of itself.")
            elif self.parent.level >= self.level:
                errors["parent"] = _("A region must be part of a larger region (province ⊃ city ⊃ county).")
            elif self.code and self.parent.code and self.code[:2] != self.parent.code[:2]:
                errors["code"] = _("The code must start with the same two digits as its province.")
        elif self.level != self.Level.PROVINCE:
            errors["parent"] = _("Cities and counties must be part of a larger region.")
        if errors:
            raise ValidationError(errors)

    def ancestors_and_self(self):
        """Province first. Needs `with_ancestors()` to stay free of extra queries."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def province(self):
        return self.ancestors_and_self()[0]

    @property
    def path_display(self):
        return " · ".join(r.display_name for r in self.ancestors_and_self())


class ProductCategory(index.Indexed, PinyinSlugSnippetMixin, BilingualNameMixin):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    schema_category = models.CharField(
        _("Google product category"), max_length=200, blank=True, help_text=_("Optional, for shopping feeds")
    )

    base_form_class = SlugFromNameForm
    panels = [BilingualNameMixin.name_panel, FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("schema_category")]
    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]


class CertificationType(index.Indexed, PinyinSlugSnippetMixin, BilingualNameMixin):
    """A kind of certificate, e.g. organic, green food, geographical indication."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    description = models.TextField(_("what it guarantees"), blank=True)
    verify_url = models.URLField(_("where to verify a certificate"), blank=True)

    base_form_class = SlugFromNameForm
    panels = [
        BilingualNameMixin.name_panel,
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("issuing_body"),
        FieldPanel("description"),
        FieldPanel("verify_url"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_en")]

    class Meta:
        verbose_name = _("certification type")
        verbose_name_plural = _("certification types")
        ordering = ["name"]


# Every snippet's viewset (choosers in each editor's language): a dotted path, as models load before Wagtail's
# views may be imported; Wagtail imports it when it registers the snippets.
SNIPPET_VIEWSET = "site_content.snippets.SiteSnippetViewSet"

register_snippet(Region, viewset=SNIPPET_VIEWSET)
register_snippet(ProductCategory, viewset=SNIPPET_VIEWSET)
register_snippet(CertificationType, viewset=SNIPPET_VIEWSET)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("tagline"), FieldPanel("contact_email"), FieldPanel("social_image")]

    class Meta:
        verbose_name = _("site settings")


class DraftsCollection(models.Model):
    """A collection whose documents are drafts' attachments: private until a public page that uses one is published.

    Each room (a government's section, a brand) uploads into its own drafts collection, which only its
    people may open (a Wagtail collection view restriction). Publishing a public page moves the documents
    it uses up into the parent collection, where everyone may download them (site_content/drafts.py).
    """

    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = _("drafts collection")
        verbose_name_plural = _("drafts collections")

    def __str__(self):
        return str(self.collection)
