"""Farm brands and their products: /brands/, /brands/<brand>/ and /brands/<brand>/<product>/."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.dates import MONTHS as MONTHS_BY_NUMBER
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from site_content.blocks import StoryStreamBlock
from site_content.facts import SynchronisedFactsMixin
from site_content.pages import SectionIndexPage
from site_content.querysets import FarmcastPageQuerySet, card_renditions, lazy
from site_content.rooms import SectionPageMixin
from site_content.seo import SeoMixin, absolute_image_url
from site_content.validators import http_url

from ..structured_data import contributed_product_data
from .provenance import Batch

MONTHS = list(MONTHS_BY_NUMBER.items())


class FarmBrandIndexPage(SectionIndexPage):
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["brands.FarmBrandPage"]
    page_description = _("The list of all farm brands, at /brands/")

    class Meta:
        verbose_name = _("brand index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def brands():
            return FarmBrandPage.objects.child_of(self).visible().for_cards().order_by("title")

        # Lazy: neither the queryset nor its count is needed when the content comes from the fragment cache.
        context["brands"] = lazy(lambda: self.page_of(request, brands()))
        return context

    def structured_data(self, request):
        return [{"@type": "CollectionPage", "name": self.title, "url": self.get_full_url(request)}]


class FarmBrandTag(TaggedItemBase):
    content_object = ParentalKey("brands.FarmBrandPage", on_delete=models.CASCADE, related_name="tagged_items")


class FarmBrandQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/brand_card.html shows, for all cards in one query per image field.
        return self.select_related("logo", "hero_image", "region__parent__parent").prefetch_related(
            "tags",
            card_renditions("logo", "fill-96x96|format-webp"),
            card_renditions("hero_image", "fill-400x250|format-webp", "fill-800x500|format-webp"),
        )


class FarmBrandPage(SectionPageMixin, SynchronisedFactsMixin, SeoMixin, Page):
    """A producer's brand: who they are, where they farm, where to buy."""

    class ProducerType(models.TextChoices):
        HOUSEHOLD = "household", _("Household farm")
        COOPERATIVE = "cooperative", _("Cooperative")
        COMPANY = "company", _("Company")

    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        "site_content.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="brands"
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    producer_type = models.CharField(_("producer type"), max_length=20, choices=ProducerType.choices)
    story = StreamField(StoryStreamBlock(), verbose_name=_("brand story"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    shop_url = models.URLField(_("online shop"), blank=True, validators=[http_url])
    live_room_url = models.URLField(_("live room"), blank=True, validators=[http_url])
    tags = ClusterTaggableManager(through=FarmBrandTag, blank=True)

    objects = PageManager.from_queryset(FarmBrandQuerySet)()
    # The same in every language (site_content/facts.py); the tagline, story and tags are words.
    synchronised_fields = (
        "logo",
        "hero_image",
        "region",
        "founded_year",
        "producer_type",
        "contact_phone",
        "contact_email",
        "shop_url",
        "live_room_url",
    )

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        FieldRowPanel([FieldPanel("logo"), FieldPanel("hero_image")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("producer_type"), FieldPanel("founded_year")]),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("shop_url"),
                FieldPanel("live_room_url"),
            ],
            _("Contact and links"),
        ),
        FieldPanel("tags"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("tagline"),
        index.SearchField("story"),
        index.AutocompleteField("title"),
        index.RelatedFields("region", [index.SearchField("name"), index.SearchField("name_en")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("region"),
        index.FilterField("producer_type"),
    ]
    parent_page_types = ["brands.FarmBrandIndexPage"]
    subpage_types = ["brands.ProductPage"]
    page_description = _("A farm brand: its story, region, contact and products")
    cache_query_params = ("questions_page",)  # its buyers' questions (feedback), for the page cache

    class Meta:
        verbose_name = _("farm brand")
        verbose_name_plural = _("farm brands")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: building the queryset costs more than reading the cached fragment that shows it.
        context["products"] = lazy(
            lambda: ProductPage.objects.child_of(self).visible().for_cards().order_by("-sales_volume")
        )
        return context

    def get_social_image(self):
        return self.social_image or self.hero_image or self.logo

    def structured_data(self, request):
        data = {
            "@type": "Organization",
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.search_description or self.tagline,
            "address": {"@type": "PostalAddress", "addressRegion": self.region.display_name, "addressCountry": "CN"},
        }
        if self.logo:
            data["logo"] = absolute_image_url(request, self.logo, "max-512x512|format-png")
        if self.founded_year:
            data["foundingDate"] = str(self.founded_year)
        if self.contact_email:
            data["email"] = self.contact_email
        if self.contact_phone:
            data["telephone"] = self.contact_phone
        same_as = [u for u in (self.shop_url, self.live_room_url) if u]
        if same_as:
            data["sameAs"] = same_as
        return [data]


class ProductQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/product_card.html shows, for all cards in one query.
        return self.select_related("main_image", "category").prefetch_related(
            "certifications",
            card_renditions("main_image", "fill-400x300|format-webp", "fill-800x600|format-webp"),
        )


class ProductPage(SynchronisedFactsMixin, SeoMixin, Page):
    """A product of a brand. Batches and their provenance hang off this page (see provenance)."""

    category = models.ForeignKey(
        "site_content.ProductCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    description = RichTextField(_("description"), features=["bold", "italic", "link", "ol", "ul"], blank=True)
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    season_start = models.PositiveSmallIntegerField(
        _("season starts"),
        choices=MONTHS,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    season_end = models.PositiveSmallIntegerField(
        _("season ends"),
        choices=MONTHS,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    price = models.DecimalField(
        _("price (CNY)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. 5 kg bag, box of 12"))
    sales_volume = models.PositiveIntegerField(
        _("sales volume"), default=0, help_text=_("Units sold; kept current by an operator or an import.")
    )
    certifications = ParentalManyToManyField(
        "site_content.CertificationType", verbose_name=_("certifications"), blank=True, related_name="products"
    )
    gtin = models.CharField(_("GTIN (barcode)"), max_length=14, blank=True)

    objects = PageManager.from_queryset(ProductQuerySet)()
    # The same in every language (site_content/facts.py). The unit is words ("5 kg bag", "5公斤袋"), so
    # each language keeps its own, as it keeps the gallery's captions and the shops' names.
    synchronised_fields = (
        "category",
        "main_image",
        "season_start",
        "season_end",
        "price",
        "sales_volume",
        "certifications",
        "gtin",
    )
    synchronised_children = {"gallery_images": ("image", "sort_order"), "buy_links": ("url", "sort_order")}

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("category"), FieldPanel("main_image")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        InlinePanel("gallery_images", label=_("More images")),
        FieldRowPanel([FieldPanel("season_start"), FieldPanel("season_end")], heading=_("Season")),
        FieldRowPanel(
            [FieldPanel("price"), FieldPanel("unit"), FieldPanel("sales_volume")], heading=_("Price and sales")
        ),
        FieldPanel("certifications"),
        FieldPanel("gtin"),
        InlinePanel("buy_links", label=_("Where to buy")),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.RelatedFields("category", [index.SearchField("name"), index.SearchField("name_en")]),
        index.FilterField("category"),
        index.FilterField("price"),
        index.FilterField("sales_volume"),
    ]
    parent_page_types = ["brands.FarmBrandPage"]
    subpage_types = []
    page_description = _("A product of a farm brand: price, season, certificates, where to buy")
    cache_query_params = ("reviews_page", "questions_page")  # its reviews and questions (feedback), for the page cache

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    @property
    def brand(self):
        return self.get_parent().specific

    @property
    def season_months(self):
        """Months in season, wrapping round the new year (Nov–Feb is 11, 12, 1, 2)."""
        if not (self.season_start and self.season_end):
            return []
        if self.season_start <= self.season_end:
            return list(range(self.season_start, self.season_end + 1))
        return [*range(self.season_start, 13), *range(1, self.season_end + 1)]

    def clean(self):
        super().clean()
        if bool(self.season_start) != bool(self.season_end):
            field = "season_end" if self.season_start else "season_start"
            raise ValidationError({field: _("Give both the first and the last month of the season.")})
        if self.price is not None and not self.unit:
            raise ValidationError({"unit": _("Say what the price buys, e.g. 5 kg bag.")})
        if self.pk and self.gtin != type(self).objects.filter(pk=self.pk).values_list("gtin", flat=True).first():
            batches = self._meta.apps.get_model("brands", "Batch").objects  # no import: provenance imports pages
            if batches.filter(product__translation_key=self.translation_key, events__seal__gt="").exists():
                raise ValidationError({"gtin": _("Sealed batches of this product carry this GTIN; it cannot change.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The parent as routing found it (no query): its title and URL are all the feedback section needs.
        brand = self.get_parent()
        context["brand"] = brand
        # The brand's tagline and region, for the cached fragment only: one query, when it is built.
        context["brand_profile"] = lazy(
            lambda: FarmBrandPage.objects.select_related("region__parent__parent").filter(pk=brand.pk).first()
        )
        # Lazy: building querysets costs more than reading the cached fragment that shows them.
        context["gallery"] = lazy(lambda: self.gallery_images.select_related("image"))
        context["buy_links"] = lazy(self.buy_links.all)
        context["batches"] = lazy(lambda: Batch.objects.visible().of_product(self))
        return context

    def get_social_image(self):
        return self.social_image or self.main_image

    def structured_data(self, request):
        brand = self.brand
        data = {
            "@type": "Product",
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.search_description or self.summary,
            "category": self.category.display_name,
            "brand": {"@type": "Brand", "name": brand.title},
        }
        if self.main_image:
            data["image"] = absolute_image_url(request, self.main_image)
        if self.gtin:
            data["gtin"] = self.gtin
        if self.price is not None:
            data["offers"] = {
                "@type": "Offer",
                "price": str(self.price),
                "priceCurrency": "CNY",
                "availability": "https://schema.org/InStock",
                "url": self.get_full_url(request),
            }
        data.update(contributed_product_data(self))
        return [data]


class ProductGalleryImage(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductBuyLink(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="buy_links")
    label = models.CharField(_("shop name"), max_length=60, help_text=_("e.g. Tmall flagship store"))
    url = models.URLField(_("link"), validators=[http_url])

    panels = [FieldPanel("label"), FieldPanel("url")]
