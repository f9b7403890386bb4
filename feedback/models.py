"""Buyer feedback: reviews of products, questions to brands, and the brand's one public answer.

Nothing is public until the writer has confirmed their address (a signed link) AND a moderator
has approved it. Reviews and questions share their contact, confirmation and moderation fields
(`FeedbackItem`); each may get one `Answer`, whose `answered_at` feeds the response-time figures.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from brands.models.provenance import Batch, format_lot_code

BODY_MAX_LENGTH = 1000
TITLE_MAX_LENGTH = 80
NAME_MAX_LENGTH = 40
TRANSLATION_HELP = _(
    "Optional: the editors' translation into the site's other language (Chinese into English, English into "
    "Chinese). Readers of that language see it beside the original words, marked as translated by the editors."
)


def keyed_hash(purpose, value):
    """Keyed hash of an address: enough to count submissions, useless to anyone who reads the table."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:feedback-{purpose}:{value}".encode()).hexdigest()


def hash_client_ip(ip):
    return keyed_hash("ip", ip)


def _prefixes_of_translations(page):
    # Translations of a page sit at the same depth in their own language's tree, so their paths
    # all have the same length: one subquery finds feedback below any of them.
    return Page.objects.filter(translation_key=page.translation_key).values("path")


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
    PENDING = "pending", _("Pending moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FeedbackQuerySet(models.QuerySet):
    # The page a row hangs off: "product" for reviews, "page" for questions.
    page_field = "page"

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def approved(self):
        """Public: confirmed by the writer and approved by a moderator."""
        return self.confirmed().filter(status=Status.APPROVED)

    def pending(self):
        return self.confirmed().filter(status=Status.PENDING)

    def unanswered(self):
        return self.filter(answer__isnull=True)

    def answered(self):
        return self.filter(answer__isnull=False)

    def moderatable(self):
        """What moderators see: unconfirmed items may be anyone's typo or a bot, so they stay out."""
        return self.confirmed()

    def on_page(self, page):
        """Left on `page` or on any of its translations."""
        return self.filter(**{f"{self.page_field}__translation_key": page.translation_key})

    def for_brand(self, brand):
        """Left on the brand's page or any of its products, in any language."""
        return self.annotate(
            _brand_prefix=Substr(F(f"{self.page_field}__path"), 1, len(brand.path)),
        ).filter(_brand_prefix__in=_prefixes_of_translations(brand))

    def for_pages(self, pages):
        """Left on one of `pages` (a queryset of pages, e.g. those a user may edit)."""
        return self.filter(**{f"{self.page_field}__in": pages.values("pk")})

    def latest_first(self):
        return self.order_by("-created_at", "-pk")

    def for_listing(self):
        return self.select_related("answer").latest_first()


class ReviewQuerySet(FeedbackQuerySet):
    page_field = "product"


class FeedbackItem(models.Model):
    """What reviews and questions share: who wrote it, how to reach them, where it is in moderation."""

    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    # The writer's words are never changed; an editor may add a translation into the site's other
    # language, shown beside them to readers of that language and marked as the editors' (TRANSLATION_HELP).
    body_translation = models.TextField(
        _("text, translated"), max_length=BODY_MAX_LENGTH, blank=True, help_text=TRANSLATION_HELP
    )
    display_name = models.CharField(_("name to display"), max_length=NAME_MAX_LENGTH)
    # Only for the confirmation link, a moderator's reply and (reviews naming a lot) a recall of that lot;
    # never rendered on a public page.
    email = models.EmailField(_("email"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    client_ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == Status.APPROVED and self.confirmed_at is not None

    @property
    def is_answered(self):
        return self.answer_or_none is not None

    @property
    def answer_or_none(self):
        try:
            return self.answer
        except Answer.DoesNotExist:
            return None

    def confirm(self):
        """The writer clicked the link: from now on a moderator sees it. Idempotent."""
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            if self.status == Status.UNCONFIRMED:
                self.status = Status.PENDING
            self.save(update_fields=["confirmed_at", "status"])
            return True
        return False

    def clean(self):
        super().clean()
        if self.status == Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Say why, so the writer and other moderators know.")})
        if self.status == Status.APPROVED and self.confirmed_at is None:
            raise ValidationError({"status": _("The writer has not confirmed their email yet.")})


class Review(FeedbackItem):
    product = models.ForeignKey(
        "brands.ProductPage", verbose_name=_("product"), on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 to 5 stars")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    title_translation = models.CharField(
        _("title, translated"), max_length=TITLE_MAX_LENGTH, blank=True, help_text=TRANSLATION_HELP
    )
    lot_code = models.CharField(
        _("lot code"), max_length=8, blank=True, help_text=_("Normalised (no dash); as printed on the package.")
    )
    # What a review can prove about the writer: a lot code is public (printed on every package, shown on
    # the trace page), so it only "matches"; a package code is printed on one package's label only.
    batch_verified = models.BooleanField(
        _("lot code matches"), default=False, help_text=_("The lot code is a batch of this product.")
    )
    # When the writer was told their lot is recalled (feedback/recalls.py): once, ever.
    recall_mailed_at = models.DateTimeField(_("told of the lot's recall"), null=True, blank=True, editable=False)
    package_verified = models.BooleanField(
        _("package verified"),
        default=False,
        help_text=_("The package code from one package's label is right, and no other review used it."),
    )
    package_number = models.PositiveIntegerField(_("package number"), null=True, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_review_rating_1_to_5"),
            # One package, one verified review.
            models.UniqueConstraint(
                fields=["lot_code", "package_number"],
                condition=Q(package_number__isnull=False),
                name="feedback_review_one_per_package",
            ),
        ]
        indexes = [models.Index(fields=["product", "status"])]
        # A site-wide moderator's right; brand editors moderate their own brands through page permissions.
        permissions = [("moderate_all_feedback", _("Can moderate feedback on every brand"))]

    def __str__(self):
        return f"{'★' * self.rating} {self.title}"

    @property
    def page(self):
        return self.product

    @property
    def lot_display(self):
        return format_lot_code(self.lot_code)

    def verify_batch(self, package_code=""):
        """Whether the lot code is a batch of this very product, and the package code one of its packages'.

        A package code counts once: a second review quoting it only has a matching lot code.
        """
        batch = None
        if self.lot_code:
            batch = Batch.objects.filter(
                lot_code=self.lot_code, product__translation_key=self.product.translation_key
            ).first()
        self.batch_verified = batch is not None
        number = batch.package_number(package_code) if batch is not None else None
        if number is not None and Review.objects.filter(lot_code=self.lot_code, package_number=number).exists():
            number = None
        self.package_number = number
        self.package_verified = number is not None
        return self.batch_verified


class Question(FeedbackItem):
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("asked on"),
        on_delete=models.CASCADE,
        related_name="feedback_questions",
        help_text=_("A product or a farm brand page."),
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "status"])]

    def __str__(self):
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else f"{text[:59]}…"


class Answer(models.Model):
    """The brand's one public reply to a review or a question."""

    review = models.OneToOneField(
        Review, verbose_name=_("review"), null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    question = models.OneToOneField(
        Question, verbose_name=_("question"), null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    body = models.TextField(_("answer"), max_length=BODY_MAX_LENGTH)
    body_translation = models.TextField(
        _("answer, translated"), max_length=BODY_MAX_LENGTH, blank=True, help_text=TRANSLATION_HELP
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The first answer's time: editing the wording later must not improve the response-time figures.
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, question__isnull=True)
                | Q(review__isnull=True, question__isnull=False),
                name="feedback_answer_to_exactly_one",
            ),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def item(self):
        return self.review or self.question
