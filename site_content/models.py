"""The site's home page, its settings, the shared snippets and the SEO mixin every page uses."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .querysets import lazy
from .seo import SeoMixin

SIX_DIGITS = RegexValidator(r"^\d{6}$", _("Enter the official 6-digit administrative code."))


class BilingualNameMixin(models.Model):
    """A snippet named in Chinese and English; `display_name` follows the active language."""

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


class Region(index.Indexed, BilingualNameMixin):
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

    panels = [
        FieldPanel("name"),
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


class ProductCategory(index.Indexed, BilingualNameMixin):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    schema_category = models.CharField(
        _("Google product category"), max_length=200, blank=True, help_text=_("Optional, for shopping feeds")
    )

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("schema_category")]
    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]


class CertificationType(index.Indexed, BilingualNameMixin):
    """A kind of certificate, e.g. organic, green food, geographical indication."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    description = models.TextField(_("what it guarantees"), blank=True)
    verify_url = models.URLField(_("where to verify a certificate"), blank=True)

    panels = [
        FieldPanel("name"),
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


register_snippet(Region)
register_snippet(ProductCategory)
register_snippet(CertificationType)


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


def _routes_like_a_plain_page(model, rest):
    """Whether `model` would hand the URL's `rest` to its children exactly as Wagtail's Page.route does."""
    if model is None:
        return False
    if model.route is Page.route:
        return True
    if model.route is RoutablePageMixin.route:
        try:
            model.get_resolver().resolve("/" + "/".join(rest) + "/")
        except Http404:
            return True
    return False


class HomePage(SeoMixin, Page):
    """The front page: curated brands, and computed lists of broadcasts, replays and policy."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = RichTextField(_("hero text"), features=["bold", "italic", "link"], blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured_brands = models.ManyToManyField(
        "brands.FarmBrandPage", verbose_name=_("featured brands"), blank=True, related_name="+"
    )
    policy_region = models.ForeignKey(
        Region,
        verbose_name=_("region for policy news"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The home page lists the latest policy news of this region and its sub-regions."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")], _("Hero")),
        FieldPanel("featured_brands"),
        FieldPanel("policy_region"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [index.SearchField("hero_title")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "brands.FarmBrandIndexPage",
        "stories.StoryIndexPage",
        "stories.ReplayIndexPage",
        "stories.PolicyIndexPage",
    ]
    max_count_per_parent = 1
    page_description = _("The front page of a language's site")

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from brands.models import FarmBrandPage
        from stories.broadcasts import request_now
        from stories.models import BroadcastReplayPage, PolicyNewsPage

        context = super().get_context(request, *args, **kwargs)
        now = request_now(request)  # the clock the fragment cache's key and the Expires header read

        def broadcasts():
            return BroadcastReplayPage.objects.live().public().in_locale_of(self).for_cards()

        # Lazy, every list: building five querysets costs more than reading the cached fragment that shows them.
        context["featured_brands"] = lazy(
            lambda: (
                FarmBrandPage.objects.live()
                .public()
                .in_locale_of(self)
                .for_cards()
                .filter(pk__in=self.featured_brands.values("pk"))
            )
        )
        context["live_broadcasts"] = lazy(lambda: broadcasts().live_at(now).order_by("scheduled_start")[:2])
        context["upcoming_broadcasts"] = lazy(lambda: broadcasts().upcoming(now)[:4])
        context["latest_replays"] = lazy(lambda: broadcasts().replays(now)[:4])
        context["latest_policy"] = lazy(
            lambda: (
                PolicyNewsPage.objects.live().public().in_locale_of(self).for_cards().for_region(self.policy_region)[:5]
            )
        )
        return context

    def route(self, request, path_components):
        """Find the page for a URL below home in two queries, where Wagtail's walk takes two per level.

        One query reads the chain of pages by `url_path`, then the walk goes on from the first page
        that would route differently (the target, or a routable page whose own routes match the rest
        of the URL, like /policy/feed/rss/): its `route()` gets the rest, as in Wagtail's walk.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [self.url_path + "/".join(path_components[:i]) + "/" for i in range(1, len(path_components) + 1)]
        by_url_path = {
            page.url_path: page for page in Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
        }
        parent = self
        for i, prefix in enumerate(prefixes):
            page = by_url_path.get(prefix)
            if page is None or page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
                raise Http404  # where Wagtail's walk finds no child with this slug
            page._cached_parent_obj = parent
            rest = path_components[i + 1 :]
            if not rest or not _routes_like_a_plain_page(page.specific_class, rest):
                return page.specific.route(request, rest)
            parent = page
        raise Http404  # not reached: the last prefix returns above

    def serve(self, request, *args, **kwargs):
        # The page lists broadcasts by state    def serve(self, request, *args, **kwargs):
        # The page lists broadcasts by state: cached copies must expire when one starts or ends.
        from stories.broadcasts import cache_until, next_broadcast_change, request_now

        response = super().serve(request, *args, **kwargs)
        return cache_until(response, request, next_broadcast_change(request), request_now(request))

    def structured_data(self, request):
        return [{"@type": "WebSite", "name": self.title, "url": self.get_full_url(request)}]
