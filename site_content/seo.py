"""Meta description, social image and schema.org JSON-LD shared by every page type."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .admin_forms import FarmcastPageForm
from .slugs import PinyinSlugPageMixin

# The site as the publisher of its articles and the organiser of broadcasts without a brand.
PUBLISHER = {"@type": "Organization", "name": "Farmcast 农播"}


class SeoMixin(PinyinSlugPageMixin, models.Model):
    """Adds a social image; the meta description is Wagtail's own `search_description`.

    Every page type has it, so it also carries what every page's admin form does: a Chinese title's
    slug in pinyin, and a banner naming the fields to fix (site_content/admin_forms.py).

    Page types describe themselves to search engines by overriding `structured_data(request)`,
    which returns a list of schema.org objects; the breadcrumb list is added for every page.
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; 1200×630 works best."),
    )

    base_form_class = FarmcastPageForm

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description", heading=_("Meta description")),
                FieldPanel("social_image"),
            ],
            _("For search engines and sharing"),
        ),
        FieldPanel("show_in_menus"),
    ]

    class Meta:
        abstract = True

    def get_meta_description(self):
        return self.search_description

    def get_social_image(self):
        return self.social_image

    def structured_data(self, request):
        return []

    def breadcrumb_pages(self):
        """Ancestors below the locale root, then the page itself: one query."""
        ancestors = self.get_ancestors().filter(depth__gt=1).specific(defer=True)
        return [*ancestors, self]

    def breadcrumb_data(self, request):
        return {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": p.title, "item": p.get_full_url(request)}
                for i, p in enumerate(self.breadcrumb_pages(), start=1)
            ],
        }

    def json_ld(self, request):
        graph = [*self.structured_data(request), self.breadcrumb_data(request)]
        return {"@context": "https://schema.org", "@graph": graph}


def absolute_image_url(request, image, spec="fill-1200x630|format-jpeg"):
    if image is None:
        return None
    return request.build_absolute_uri(image.get_rendition(spec).url)
