"""Policy news from local governments (/policy/<region>/<slug>/), its topics, and readers' subscriptions.

The section pages that list it (/policy/, /policy/<region>/) are in sections.py.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from site_content.admin_forms import FarmcastPageForm, SlugFromNameForm
from site_content.facts import SynchronisedFactsMixin
from site_content.mailing import Subscriber, new_token
from site_content.models import SNIPPET_VIEWSET, BilingualNameMixin, Region
from site_content.querysets import FarmcastPageQuerySet, lazy
from site_content.seo import SeoMixin
from site_content.slugs import PinyinSlugSnippetMixin


class PolicyTopic(PinyinSlugSnippetMixin, BilingualNameMixin):
    """A policy topic readers filter and subscribe by: subsidies, training, cold chain..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    base_form_class = SlugFromNameForm
    panels = [BilingualNameMixin.name_panel, FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")
        ordering = ["name"]


register_snippet(PolicyTopic, viewset=SNIPPET_VIEWSET)


class PolicyNewsQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        return self.prefetch_related("topics", "regions")

    def for_region(self, region):
        """News for `region`, its ancestors (a county reader needs provincial news) and descendants."""
        if region is None:
            return self.order_by("-effective_date")
        lineage = [r.pk for r in region.ancestors_and_self()]
        return (
            self.filter(Q(regions__in=lineage) | Q(regions__parent=region) | Q(regions__parent__parent=region))
            .distinct()
            .order_by("-effective_date")
        )


def section_region(page):
    """The region of the nearest regional section at or above `page` (None under the national /policy/)."""
    sections = Region.objects.filter(policy_sections__in=Page.objects.ancestor_of(page, inclusive=True))
    return sections.order_by("-policy_sections__depth").first()


def own_region_errors(region, regions, authority):
    """{field: message} where news in `region`'s section would speak for another region.

    A government publishes for its own region, its cities and counties, under the name of one of their
    authorities (e.g. 黑龙江省农业农村厅, 哈尔滨市农业农村局 in Heilongjiang's section).
    """
    if region is None:
        return {}
    own = list(Region.objects.within(region))
    errors = {}
    outside = [r for r in regions if r not in own]
    if outside:
        errors["regions"] = _(
            "News in the %(section)s section applies to %(section)s and its cities and counties, not to %(others)s."
        ) % {"section": region.display_name, "others": "、".join(r.display_name for r in outside)}
    names = [name for r in own for name in (r.name, r.name_en) if name]
    # Contains, not starts with: English names put the place inside ("General Office of the Ganzhou ...").
    if authority and not any(name.lower() in authority.lower() for name in names):
        errors["authority"] = _(
            "The issuing authority of news in the %(section)s section is one of its governments: name its "
            "region in it, e.g. %(example)s."
        ) % {"section": region.display_name, "example": f"{region.name}农业农村厅"}
    return errors


class PolicyNewsForm(FarmcastPageForm):
    """Only the section's own region and its parts are offered, and the server refuses any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_region = section_region(self.parent_page) if self.parent_page else None
        if self.section_region is not None and "regions" in self.fields:
            self.fields["regions"].queryset = Region.objects.within(self.section_region)

    def clean(self):
        cleaned = super().clean()
        regions = cleaned.get("regions") or []
        for field, message in own_region_errors(self.section_region, regions, cleaned.get("authority")).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class PolicyNewsPage(SynchronisedFactsMixin, SeoMixin, Page):
    """A policy document or announcement from a local government, for its own section's region."""

    authority = models.CharField(_("issuing authority"), max_length=120)
    document_number = models.CharField(_("document number (文号)"), max_length=80, blank=True)
    regions = ParentalManyToManyField(
        "site_content.Region", verbose_name=_("applies to regions"), related_name="policy_news"
    )
    topics = ParentalManyToManyField(PolicyTopic, verbose_name=_("topics"), blank=True, related_name="news")
    effective_date = models.DateField(_("takes effect"))
    expiry_date = models.DateField(_("expires"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=500)
    body = RichTextField(_("full text"), features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"])
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    objects = PageManager.from_queryset(PolicyNewsQuerySet)()
    # The same in every language (site_content/facts.py). The document number is the issuer's own
    # identifier (黑农发〔2026〕3号), shown as issued; the authority, summary and text are words.
    synchronised_fields = ("document_number", "regions", "topics", "effective_date", "expiry_date")
    synchronised_children = {"attachments": ("document", "sort_order")}
    base_form_class = PolicyNewsForm

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("authority"), FieldPanel("document_number")]),
        FieldRowPanel([FieldPanel("regions"), FieldPanel("topics")]),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attached documents")),
        FieldPanel("contact"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("authority"),
        index.SearchField("document_number"),
        index.FilterField("effective_date"),
    ]
    parent_page_types = ["stories.PolicyIndexPage"]
    subpage_types = []
    page_description = _("A policy update from a local government: dates, regions, topics, documents")

    class Meta:
        verbose_name = _("policy news")
        verbose_name_plural = _("policy news")

    def clean(self):
        super().clean()
        errors = {}
        if self.expiry_date and self.effective_date and self.expiry_date <= self.effective_date:
            errors["expiry_date"] = _("A policy must expire after it takes effect.")
        if self.path:  # in the tree: a new page's form checks against the parent it is added under
            errors.update(own_region_errors(section_region(self.get_parent()), self.regions.all(), self.authority))
        if errors:
            raise ValidationError(errors)

    def status(self, today=None):
        today = today or timezone.localdate()
        if today < self.effective_date:
            return "pending"
        if self.expiry_date and today >= self.expiry_date:
            return "expired"
        return "in_force"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: building the queryset costs more than reading the cached fragment that shows it.
        context["attachments"] = lazy(lambda: self.attachments.select_related("document"))
        return context

    def structured_data(self, request):
        return [
            {
                "@type": "NewsArticle",
                "headline": self.title[:110],
                "description": self.search_description or self.summary,
                "datePublished": (self.first_published_at or timezone.now()).isoformat(),
                "dateModified": (self.last_published_at or timezone.now()).isoformat(),
                "url": self.get_full_url(request),
                "author": {"@type": "GovernmentOrganization", "name": self.authority},
                "publisher": {"@type": "GovernmentOrganization", "name": self.authority},
            }
        ]


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyNewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    def clean(self):
        super().clean()
        document = self.document if self.document_id else None
        if document is None:
            return
        extension = (document.file_extension or "").lower()
        if extension not in ATTACHMENT_EXTENSIONS:
            raise ValidationError(
                {
                    "document": _("Attach a PDF, Word (DOCX) or Excel (XLSX) file, not “%(ext)s”.")
                    % {"ext": extension or "?"}
                }
            )
        size = document.get_file_size()
        if size is None:
            raise ValidationError({"document": _("The document's file is missing; upload it again.")})
        if size > ATTACHMENT_MAX_SIZE:
            raise ValidationError(
                {
                    "document": _("The file is %(size)s MB; policy attachments may be at most %(max)s MB.")
                    % {"size": round(size / 1024 / 1024, 1), "max": ATTACHMENT_MAX_SIZE // 1024 // 1024}
                }
            )


# Notices are read on phones over rural mobile networks: keep attachments in formats every phone
# opens and small enough to download.
ATTACHMENT_EXTENSIONS = {"pdf", "docx", "xlsx"}
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024


# --- Subscriptions: /policy/subscribe/ (subscriptions.py, notifications.py) --------------------


# Migration 0003 names the token's default by this name.
_new_token = new_token


class PolicySubscription(Subscriber):
    """An address that gets policy news of its regions and topics (site_content/mailing.py: the mechanism)."""

    email = models.EmailField(_("email address"), unique=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), related_name="policy_subscriptions")
    topics = models.ManyToManyField(
        PolicyTopic,
        verbose_name=_("topics"),
        blank=True,
        related_name="subscriptions",
        help_text=_("None means every topic."),
    )

    class Meta:
        verbose_name = _("policy subscription")
        verbose_name_plural = _("policy subscriptions")


class PolicyNotification(models.Model):
    """One email sent: the unique pair is what keeps a republished item from being mailed twice."""

    subscription = models.ForeignKey(PolicySubscription, on_delete=models.CASCADE, related_name="notifications")
    page = models.ForeignKey(PolicyNewsPage, on_delete=models.CASCADE, related_name="notifications")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy notification")
        constraints = [models.UniqueConstraint(fields=["subscription", "page"], name="policy_notification_once")]


def subscribable_regions():
    """Every region, province first then its cities and counties (a county reader picks their county)."""
    return Region.objects.with_ancestors().order_by("code")
