"""The front page of each language's site: curated brands, and computed lists of broadcasts, replays and policy."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from brands.models import FarmBrandPage
from site_content.clock import cache_until, request_now
from site_content.facts import SynchronisedFactsMixin
from site_content.models import Region
from site_content.querysets import lazy
from site_content.rooms import SectionPageMixin
from site_content.seo import SeoMixin
from stories.models import BroadcastReplayPage, PolicyNewsPage

from .cache import next_broadcast_change


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


class HomePage(SectionPageMixin, SynchronisedFactsMixin, SeoMixin, Page):
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

    # The same in every language (site_content/facts.py); the hero's words are translated.
    synchronised_fields = ("hero_image", "featured_brands", "policy_region")

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
        # The page lists broadcasts by state: cached copies must expire when one starts or ends.
        response = super().serve(request, *args, **kwargs)
        return cache_until(response, request, next_broadcast_change(request), request_now(request))

    def structured_data(self, request):
        return [{"@type": "WebSite", "name": self.title, "url": self.get_full_url(request)}]
