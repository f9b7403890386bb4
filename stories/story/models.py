"""Brand stories at /stories/<slug>/, and their index /stories/."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from brands.models import ProductPage
from brands.rooms import BrandOwnedFormMixin, BrandOwnedPageMixin
from site_content.admin_forms import FarmcastPageForm
from site_content.blocks import StoryStreamBlock
from site_content.facts import SynchronisedFactsMixin
from site_content.pages import SectionIndexPage
from site_content.querysets import FarmcastPageQuerySet, card_renditions, lazy
from site_content.seo import PUBLISHER, SeoMixin, absolute_image_url

# --- Brand stories: /stories/<slug>/ -------------------------------------------------------


class StoryIndexPage(SectionIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.BrandStoryPage"]
    page_description = _("The list of brand stories, at /stories/")

    class Meta:
        verbose_name = _("story index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def stories():
            return BrandStoryPage.objects.child_of(self).visible().for_cards().order_by("-date", "-pk")

        # Lazy: neither the queryset nor its count is needed when the content comes from the fragment cache.
        context["stories"] = lazy(lambda: self.page_of(request, stories()))
        return context


class BrandStoryQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/story_card.html shows, for all cards in one query.
        return self.select_related("hero_image", "brand").prefetch_related(
            card_renditions("hero_image", "fill-400x250|format-webp", "fill-800x500|format-webp")
        )


class BrandStoryForm(BrandOwnedFormMixin, FarmcastPageForm):
    pass


class BrandStoryPage(BrandOwnedPageMixin, SynchronisedFactsMixin, SeoMixin, Page):
    """A story about a brand, its people and products, told with text, photos, quotes and video.

    Its brand's editors edit it (brands/rooms.py), wherever it sits under /stories/.
    """

    date = models.DateField(_("date"), default=timezone.localdate)
    introduction = models.CharField(_("introduction"), max_length=250)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brand = models.ForeignKey(
        "brands.FarmBrandPage",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    products = ParentalManyToManyField(
        "brands.ProductPage", verbose_name=_("products"), blank=True, related_name="stories"
    )
    body = StreamField(StoryStreamBlock(), verbose_name=_("story"))
    author = models.CharField(_("author"), max_length=80, blank=True)

    objects = PageManager.from_queryset(BrandStoryQuerySet)()
    # The same in every language (site_content/facts.py); links point at each language's own pages.
    synchronised_fields = ("date", "hero_image", "brand", "products")
    base_form_class = BrandStoryForm

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldRowPanel([FieldPanel("brand"), FieldPanel("products")]),
        FieldPanel("body"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.RelatedFields("brand", [index.SearchField("title")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    page_description = _("A story about a farm brand and its products")

    class Meta:
        verbose_name = _("brand story")
        verbose_name_plural = _("brand stories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def related_products():
            # By primary key, because in a preview `self.products` is an in-memory list, not a queryset.
            product_ids = [product.pk for product in self.products.all()]
            return ProductPage.objects.filter(pk__in=product_ids).visible().for_cards()

        # Lazy: not a query when the content comes from the fragment cache.
        context["related_products"] = lazy(related_products)
        return context

    def get_social_image(self):
        return self.social_image or self.hero_image

    def structured_data(self, request):
        data = {
            "@type": "Article",
            "headline": self.title[:110],
            "description": self.search_description or self.introduction,
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at or timezone.now()).isoformat(),
            "url": self.get_full_url(request),
            "publisher": PUBLISHER,
            "author": {"@type": "Person", "name": self.author} if self.author else PUBLISHER,
        }
        if self.hero_image:
            data["image"] = absolute_image_url(request, self.hero_image)
        return [data]
