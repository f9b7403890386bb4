"""Batches (lots) of a product, their provenance timeline, its evidence, and certificates.

Published provenance is tamper-evident: each event, once sealed, carries a SHA-256 over a
canonical serialisation of its content, its evidence files' hashes and the previous event's
seal (see `brands/seal.py` and docs/provenance.md). Sealed events are never edited; a correction
is a new event pointing at the one it corrects.
"""

import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from site_content.querysets import private_pages_q

from ..exif import check_against_event, read_exif
from ..seal import changed_since_sealing, compute_seal, file_sha256

# Lot codes are read aloud and typed from labels: no 0/O, 1/I/L (and no U, which reads like V).
LOT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LOT_LENGTH = 8
AMBIGUOUS = set("01OIL")

# China's extent, generously rounded: Zengmu Ansha in the south to Mohe in the north,
# the Pamirs in the west to the Wusuli river in the east.
CHINA_LAT = (Decimal("3.8"), Decimal("53.6"))
CHINA_LON = (Decimal("73.5"), Decimal("135.1"))

# A certificate this close to its end date shows as "expiring" on the trace page.
CERTIFICATE_EXPIRING_DAYS = 30

# Translations of sealed words are the editors' help for readers of the other language, outside the seal.
SEALED_TRANSLATION_HELP = _(
    "Optional: the editors' translation into the site's other language (Chinese into English, English into "
    "Chinese). It is not sealed: it can be added or corrected after sealing, and the trace page shows it beside "
    "the sealed words, marked as the editors' translation."
)

EVIDENCE_DOCUMENT_EXTENSIONS = {"pdf", "csv", "xlsx", "docx", "txt"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class LotCodeError(ValueError):
    """A lot code someone typed cannot be a lot code; the message says why, for the reader."""


def generate_lot_code():
    return "".join(secrets.choice(LOT_ALPHABET) for _ in range(LOT_LENGTH))


def normalise_lot_code(raw):
    """Upper-case, drop spaces and dashes, and refuse characters a lot code never has."""
    code = "".join((raw or "").split()).replace("-", "").replace("‐", "").upper()
    if not code:
        raise LotCodeError(_("Enter the lot code printed on the package, e.g. WC7K-3MXP."))
    ambiguous = sorted({c for c in code if c in AMBIGUOUS})
    if ambiguous:
        raise LotCodeError(
            _("Lot codes never contain 0, O, 1, I or L, so “%(chars)s” cannot be right: check the label again.")
            % {"chars": ", ".join(ambiguous)}
        )
    foreign = sorted({c for c in code if c not in LOT_ALPHABET})
    if foreign:
        raise LotCodeError(
            _("A lot code has only the letters and digits printed on the label; “%(chars)s” is not one of them.")
            % {"chars": " ".join(foreign)}
        )
    if len(code) != LOT_LENGTH:
        raise LotCodeError(
            _("A lot code has %(n)d characters, like WC7K-3MXP; you entered %(got)d.")
            % {"n": LOT_LENGTH, "got": len(code)}
        )
    return code


def format_lot_code(code):
    return f"{code[:4]}-{code[4:]}" if len(code) == LOT_LENGTH else code


# Package codes: printed under each label's QR code, one per package, in the lot code's alphabet and
# shape (XXXX-XXXX). The first 3 characters number the package, the other 5 are a keyed hash of the
# number under the batch's own secret: a lot code is public (on every package, trace page and photo),
# a package code only on the package itself.
PACKAGE_NUMBER_LENGTH = 3
PACKAGES_MAX = len(LOT_ALPHABET) ** PACKAGE_NUMBER_LENGTH - 1


def _base30(number, length):
    digits = []
    for _position in range(length):
        number, digit = divmod(number, len(LOT_ALPHABET))
        digits.append(LOT_ALPHABET[digit])
    return "".join(reversed(digits))


class BatchQuerySet(models.QuerySet):
    def visible(self):
        """Batches of products an anonymous visitor may see: live, and no view restriction on them or above them.

        One subquery on the product's own row, not `product__in=<live public products>`: the nested form took
        a trace view's batch lookup from 2.4 to 3.4 ms (measured on PostgreSQL, the bench demo).
        """
        return self.filter(product__live=True).exclude(private_pages_q("product__path"))

    def for_trace(self):
        """With what a version 2 seal covers beyond the batch (`seal.batch_identity`): the product's title and GTIN,
        and its brand's id and title read in the same query, not by asking for the product's parent (one query
        fewer per trace view). The product's picture and category fill cached fragments."""
        product_path = OuterRef("product__path")
        brand = Page.objects.filter(path=Substr(product_path, 1, Length(product_path) - Page.steplen)).order_by()
        return self.select_related("product").annotate(
            sealed_brand_id=Subquery(brand.values("pk")), sealed_brand_title=Subquery(brand.values("title"))
        )

    def of_product(self, product):
        """Batches of `product` in any language: they hang off the original, not its translations."""
        return self.filter(product__translation_key=product.translation_key).order_by("-harvest_date")


class Batch(index.Indexed, ClusterableModel):
    """One lot of a product: what a package's label and QR code point to."""

    class Status(models.TextChoices):
        GROWING = "growing", _("Growing")
        AVAILABLE = "available", _("Available")
        SOLD_OUT = "sold_out", _("Sold out")
        RECALLED = "recalled", _("Recalled")

    product = models.ForeignKey(
        "brands.ProductPage", verbose_name=_("product"), on_delete=models.CASCADE, related_name="batches"
    )
    # Not a ParentalKey on purpose: that would put batches into the product's page revisions,
    # and publishing an older revision would then delete batches created since.
    lot_code = models.CharField(
        _("lot code"), max_length=LOT_LENGTH, unique=True, editable=False, help_text=_("Generated; printed on labels.")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. kg, box of 12"))
    harvest_date = models.DateField(_("harvest date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.GROWING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The key of the batch's package codes; made when its first labels are printed, never shown.
    label_secret = models.CharField(max_length=64, blank=True, editable=False)

    objects = BatchQuerySet.as_manager()

    panels = [
        FieldPanel("product"),
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("harvest_date"), FieldPanel("status")]),
        InlinePanel(
            "events",
            heading=_("Provenance timeline"),
            label=_("Event"),
            help_text=_(
                "Sealed events cannot be changed: add a correction instead. Add evidence to an event from "
                "Snippets › Provenance events."
            ),
        ),
    ]
    search_fields = [
        index.SearchField("lot_code"),
        index.AutocompleteField("lot_code"),
        index.RelatedFields("product", [index.SearchField("title")]),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.display_code} · {self.product.title}" if self.product_id else self.display_code

    @property
    def display_code(self):
        return format_lot_code(self.lot_code or "")

    def save(self, *args, **kwargs):
        if not self.lot_code:
            self.lot_code = self._unused_code()
        super().save(*args, **kwargs)

    @classmethod
    def _unused_code(cls):
        while True:
            code = generate_lot_code()
            if not cls.objects.filter(lot_code=code).exists():
                return code

    def clean(self):
        super().clean()
        if self.harvest_date and self.harvest_date > timezone.localdate():
            raise ValidationError({"harvest_date": _("The harvest date cannot be in the future.")})
        if self.has_sealed_events:
            columns = {name: self._meta.get_field(name).attname for name in SEALED_BATCH_FIELDS}
            stored = type(self).objects.filter(pk=self.pk).values(*columns.values()).first() or {}
            message = _("This batch has sealed events, which sealed this value; it cannot change.")
            errors = {name: message for name, column in columns.items() if stored.get(column) != getattr(self, column)}
            if (
                self.status != self.Status.RECALLED
                and ProvenanceEvent.objects.filter(batch_id=self.pk).recalls().exists()
            ):
                errors["status"] = _("This batch was recalled, and the recall is sealed: it stays recalled.")
            if errors:
                raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("trace:batch", kwargs={"code": self.display_code})

    def package_code(self, number):
        """The code printed on package `number` (1…PACKAGES_MAX) of this batch, e.g. 2K7P-M9QX."""
        mac = hmac.new(self.label_secret.encode(), f"{self.lot_code}:{number}".encode(), hashlib.sha256)
        check = _base30(int.from_bytes(mac.digest()[:8], "big"), LOT_LENGTH - PACKAGE_NUMBER_LENGTH)
        return format_lot_code(_base30(number, PACKAGE_NUMBER_LENGTH) + check)

    def package_number(self, code):
        """The package number a code someone typed proves, or None (a normalised or formatted code)."""
        if not self.label_secret or not code:
            return None
        code = code.replace("-", "")
        number = 0
        for char in code[:PACKAGE_NUMBER_LENGTH]:
            if char not in LOT_ALPHABET:
                return None
            number = number * len(LOT_ALPHABET) + LOT_ALPHABET.index(char)
        if not 1 <= number <= PACKAGES_MAX:
            return None
        return number if hmac.compare_digest(self.package_code(number).replace("-", ""), code) else None

    def ensure_label_secret(self):
        if not self.label_secret:
            self.label_secret = secrets.token_hex(32)
            type(self).objects.filter(pk=self.pk, label_secret="").update(label_secret=self.label_secret)
            self.label_secret = type(self).objects.values_list("label_secret", flat=True).get(pk=self.pk)
        return self.label_secret

    def sealed_events(self):
        return self.events.exclude(seal="").order_by("sequence")

    @property
    def has_sealed_events(self):
        return bool(self.pk) and ProvenanceEvent.objects.filter(batch_id=self.pk).sealed().exists()


class ProvenanceEventQuerySet(models.QuerySet):
    def sealed(self):
        return self.exclude(seal="")

    def recalls(self):
        return self.sealed().filter(stage=ProvenanceEvent.Stage.RECALL)

    def public_recalls(self):
        """Sealed recalls of batches visitors may see, newest first, with the batch and product a feed names."""
        return (
            self.recalls()
            .filter(batch__in=Batch.objects.visible())
            .select_related("batch__product")
            .order_by("-occurred_at", "-pk")
        )

    def for_timeline(self):
        return (
            self.select_related("region__parent__parent", "corrects")
            .prefetch_related(
                models.Prefetch("evidence", queryset=EvidenceFile.objects.select_related("image", "document"))
            )
            .order_by("sequence", "occurred_at", "pk")
        )


class SealedEventError(RuntimeError):
    """Raised when code tries to change or delete sealed provenance; corrections are new events."""


def refuse_sealed_deletion(sender, instance, **kwargs):
    """pre_delete, so it fires for querysets, bulk actions and cascades too, which skip Model.delete()."""
    if isinstance(instance, ProvenanceEvent) and instance.is_sealed:
        raise SealedEventError(f"event {instance.pk} is sealed; it cannot be deleted")
    if isinstance(instance, EvidenceFile) and ProvenanceEvent.objects.filter(pk=instance.event_id).sealed().exists():
        raise SealedEventError(f"evidence {instance.pk} belongs to a sealed event; it cannot be deleted")
    if isinstance(instance, Batch) and instance.has_sealed_events:
        raise SealedEventError(f"batch {instance.lot_code} has sealed events; it cannot be deleted")


class ProvenanceEvent(ClusterableModel):
    class Stage(models.TextChoices):
        PLANTING = "planting", _("Planting")
        GROWING = "growing", _("Growing")
        HARVEST = "harvest", _("Harvest")
        INSPECTION = "inspection", _("Inspection")
        PROCESSING = "processing", _("Processing")
        PACKING = "packing", _("Packing")
        SHIPPING = "shipping", _("Shipping")
        RETAIL = "retail", _("Retail")
        # A recall is sealed like any event: once in the chain and the log, no one can quietly take it back.
        RECALL = "recall", _("Recall")

    batch = ParentalKey(Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    occurred_at = models.DateTimeField(_("when"))
    region = models.ForeignKey(
        "site_content.Region", verbose_name=_("where (region)"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    actor = models.CharField(_("who"), max_length=120, help_text=_("A person, a co-op, an inspector's office"))
    note = models.TextField(_("note"), blank=True)
    # Not sealed (brands/seal.py lists what a seal covers): the editors may add or correct it after sealing,
    # and the trace page shows it beside the sealed note, marked as their translation and not sealed.
    note_translation = models.TextField(_("note, translated"), blank=True, help_text=SEALED_TRANSLATION_HELP)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("A correction never rewrites a sealed event: it is a new event that points at it."),
    )
    # The seal chain. Empty until sealed; `sequence` is the position in the batch's chain.
    sequence = models.PositiveIntegerField(_("position in chain"), null=True, blank=True, editable=False)
    seal = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True, editable=False, db_index=True)
    previous_seal = models.CharField(_("previous seal"), max_length=64, blank=True, editable=False)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True, editable=False)
    # Which canonical form the seal covers (docs/provenance.md); version 2 stores the exact text it sealed.
    canonical_version = models.PositiveSmallIntegerField(_("canonical form version"), default=1, editable=False)
    canonical = models.TextField(_("sealed canonical text"), blank=True, editable=False)

    objects = ProvenanceEventQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("stage"), FieldPanel("occurred_at")]),
        MultiFieldPanel(
            [FieldPanel("region"), FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            _("Place"),
        ),
        FieldPanel("actor"),
        FieldPanel("note"),
        FieldPanel("corrects"),
    ]

    class Meta:
        verbose_name = _("provenance event")
        verbose_name_plural = _("provenance events")
        ordering = ["sequence", "occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "sequence"], name="unique_sequence_per_batch"),
        ]

    def __str__(self):
        when = timezone.localtime(self.occurred_at).strftime("%Y-%m-%d") if self.occurred_at else ""
        return f"{self.get_stage_display()} {when}".strip()

    @property
    def is_sealed(self):
        return bool(self.seal)

    @property
    def stage_rank(self):
        return STAGE_RANK.get(self.stage)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def evidence_hashes(self):
        return sorted(e.sha256 for e in self.evidence.all() if e.sha256)

    def content_unchanged_since_seal(self):
        return compute_seal(self, self.previous_seal) == self.seal and not changed_since_sealing(self)

    @property
    def sealed_payload(self):
        """What a version 2 seal covers, as sealed (the verified box shows this, not today's rows)."""
        return json.loads(self.canonical) if self.canonical else None

    def clean(self):
        super().clean()
        if self.is_sealed and self.pk:
            if not self.content_unchanged_since_seal():
                raise ValidationError(
                    _("This event is sealed and cannot be changed. Add a new event that corrects it instead.")
                )
            return
        errors = {}
        now = timezone.now()
        if self.occurred_at and self.occurred_at > now + timedelta(minutes=5):
            errors["occurred_at"] = _("An event cannot be in the future.")
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.latitude is not None else "latitude"
            errors[field] = _("Give both latitude and longitude, or neither.")
        if self.latitude is not None and not (CHINA_LAT[0] <= self.latitude <= CHINA_LAT[1]):
            errors["latitude"] = _("The latitude must be inside China (%(lo)s to %(hi)s).") % {
                "lo": CHINA_LAT[0],
                "hi": CHINA_LAT[1],
            }
        if self.longitude is not None and not (CHINA_LON[0] <= self.longitude <= CHINA_LON[1]):
            errors["longitude"] = _("The longitude must be inside China (%(lo)s to %(hi)s).") % {
                "lo": CHINA_LON[0],
                "hi": CHINA_LON[1],
            }
        if self.corrects_id:
            if self.corrects_id == self.pk:
                errors["corrects"] = _("An event cannot correct itself.")
            elif self.batch_id and self.corrects.batch_id != self.batch_id:
                errors["corrects"] = _("A correction must be about an event of the same batch.")
            elif not self.corrects.is_sealed:
                errors["corrects"] = _("Only sealed events need corrections; edit this one directly.")
        if "occurred_at" not in errors and self.occurred_at and self.batch_id:
            message = self._timeline_error()
            if message:
                errors["occurred_at"] = message
        if errors:
            raise ValidationError(errors)

    # The batch's events, when the caller has read them already (seal_batch validates every pending
    # event against all the others: one query per event would read the batch's events n times over).
    timeline_peers = None

    def _timeline_error(self):
        """Stages happen in order (inspections may happen at any time); nothing after harvest precedes it."""
        batch = self.batch
        rank = self.stage_rank
        if rank is None:
            return None
        if rank > STAGE_RANK[self.Stage.HARVEST] and batch.harvest_date:
            if timezone.localtime(self.occurred_at).date() < batch.harvest_date:
                return _("%(stage)s cannot happen before the harvest (%(date)s).") % {
                    "stage": self.get_stage_display(),
                    "date": batch.harvest_date.isoformat(),
                }
        # A correction replaces the event it corrects, so that one is not a constraint on it.
        superseded = {self.corrects_id} if self.corrects_id else set()
        if self.timeline_peers is None:
            others = batch.events.exclude(pk=self.pk).exclude(pk__in=superseded).exclude(stage__in=UNORDERED_STAGES)
        else:
            others = [
                other
                for other in self.timeline_peers
                if other.pk != self.pk and other.pk not in superseded and other.stage not in UNORDERED_STAGES
            ]
        for other in others:
            other_rank = other.stage_rank
            if other_rank < rank and other.occurred_at > self.occurred_at:
                return _("%(stage)s cannot happen before the %(other)s event of %(date)s.") % {
                    "stage": self.get_stage_display(),
                    "other": other.get_stage_display().lower(),
                    "date": timezone.localtime(other.occurred_at).strftime("%Y-%m-%d %H:%M"),
                }
            if other_rank > rank and other.occurred_at < self.occurred_at:
                return _("%(stage)s cannot happen after the %(other)s event of %(date)s.") % {
                    "stage": self.get_stage_display(),
                    "other": other.get_stage_display().lower(),
                    "date": timezone.localtime(other.occurred_at).strftime("%Y-%m-%d %H:%M"),
                }
        return None

    def save(self, *args, **kwargs):
        # Admin forms go through clean(), which explains the refusal; code must not change it silently.
        # Unchanged sealed events are saved whenever their batch is, so only a changed one is refused.
        if self.pk and self.is_sealed and not self.content_unchanged_since_seal():
            raise SealedEventError(f"event {self.pk} is sealed; add a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_sealed:
            raise SealedEventError(f"event {self.pk} is sealed; it cannot be deleted")
        return super().delete(*args, **kwargs)


# An event's fields no seal covers (brands/seal.py names those it does): a sealed event's form may change these.
UNSEALED_EVENT_FIELDS = ("note_translation",)

# A batch's facts that version 2 seals cover: fixed once the batch has a sealed event.
SEALED_BATCH_FIELDS = ("product", "harvest_date", "quantity", "unit")

# Inspections and recalls can happen at any point, so they are not ordered against other stages.
UNORDERED_STAGES = (ProvenanceEvent.Stage.INSPECTION, ProvenanceEvent.Stage.RECALL)
STAGE_RANK = {stage: rank for rank, stage in enumerate(ProvenanceEvent.Stage.values) if stage not in UNORDERED_STAGES}


class EvidenceFile(models.Model):
    """A photo or a document backing an event. Its hash and EXIF data are read from the file's bytes."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        INSPECTION_REPORT = "inspection_report", _("Inspection report")
        LAB_TEST = "lab_test", _("Lab test")
        DELIVERY_NOTE = "delivery_note", _("Delivery note")
        OTHER = "other", _("Other")

    event = ParentalKey(ProvenanceEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.PHOTO)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    caption_translation = models.CharField(
        _("caption, translated"), max_length=200, blank=True, help_text=SEALED_TRANSLATION_HELP
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, editable=False)
    exif_taken_at = models.DateTimeField(_("capture time (EXIF)"), null=True, blank=True, editable=False)
    exif_lat = models.DecimalField(
        _("latitude (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    exif_lon = models.DecimalField(
        _("longitude (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("document")]),
        FieldPanel("caption"),
        FieldPanel("caption_translation"),
    ]

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or str(self.image or self.document or self.get_kind_display())

    @property
    def file(self):
        if self.image_id:
            return self.image.file
        if self.document_id:
            return self.document.file
        return None

    def clean(self):
        super().clean()
        if bool(self.image_id) == bool(self.document_id):
            raise ValidationError({"image": _("Choose either a photo or a document.")})
        if self.event_id and self.event.is_sealed and self._changed():
            message = _("The event is sealed: its evidence cannot change. Add a correcting event with the file.")
            raise ValidationError(dict.fromkeys(self._changed(), message))
        if self.document_id:
            ext = self.document.file_extension.lower()
            if ext not in EVIDENCE_DOCUMENT_EXTENSIONS:
                raise ValidationError(
                    {
                        "document": _("Evidence documents must be one of: %(exts)s.")
                        % {"exts": ", ".join(sorted(EVIDENCE_DOCUMENT_EXTENSIONS))}
                    }
                )
        field = "image" if self.image_id else "document"
        try:
            size = self.file.size
        except OSError:
            raise ValidationError({field: _("The file cannot be read.")}) from None
        if size > EVIDENCE_MAX_BYTES:
            raise ValidationError(
                {field: _("Evidence files must be at most %(mb)d MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}}
            )

    def _file_changed(self):
        if not self.pk:
            return True
        stored = type(self).objects.filter(pk=self.pk).values("image_id", "document_id").first()
        return stored != {"image_id": self.image_id, "document_id": self.document_id}

    def _changed(self):
        """The fields (as form fields) that differ from the stored row; all of them for a new row."""
        fields = {"image": "image_id", "document": "document_id", "kind": "kind", "caption": "caption"}
        stored = type(self).objects.filter(pk=self.pk).values(*fields.values()).first() if self.pk else None
        if stored is None:
            return ["image"]
        return [name for name, column in fields.items() if stored[column] != getattr(self, column)]

    def read_file_facts(self):
        """Hash the file and read capture time and GPS from its own EXIF (photos only)."""
        field_file = self.file
        self.sha256 = file_sha256(field_file)
        self.exif_taken_at = self.exif_lat = self.exif_lon = None
        if self.image_id:
            field_file.open("rb")
            try:
                facts = read_exif(field_file)
            finally:
                field_file.close()
            self.exif_taken_at = facts.taken_at
            if facts.latitude is not None:
                self.exif_lat = facts.latitude.quantize(Decimal("0.000001"))
                self.exif_lon = facts.longitude.quantize(Decimal("0.000001"))

    def save(self, *args, **kwargs):
        if self.event_id and self.event.is_sealed and self._changed():
            raise SealedEventError(f"event {self.event_id} is sealed; its evidence cannot change")
        if self.file is not None and (not self.sha256 or self._file_changed()):
            self.read_file_facts()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.event_id and self.event.is_sealed:
            raise SealedEventError(f"event {self.event_id} is sealed; its evidence cannot be deleted")
        return super().delete(*args, **kwargs)

    def exif_check(self, event=None):
        return check_against_event(self, event or self.event)


ISSUER_TRANSLATION_HELP = _(
    "Optional: the issuer's name in the site's other language, as the editors translate it. Readers of that "
    "language see it beside the name as written, marked as the editors' translation."
)


class CertificateQuerySet(models.QuerySet):
    def valid(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on, valid_to__gte=on)

    def expired(self, on=None):
        return self.filter(valid_to__lt=on or timezone.localdate())

    def for_product(self, product):
        """The product's own certificates and those of its brand."""
        return self.filter(models.Q(product=product) | models.Q(brand_id=product.get_parent().pk)).select_related(
            "certification_type", "proof"
        )


class Certificate(models.Model):
    """A brand's or a product's certificate. Expired ones show as expired and drop out of the facet."""

    brand = models.ForeignKey(
        "brands.FarmBrandPage",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    product = models.ForeignKey(
        "brands.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    certification_type = models.ForeignKey(
        "site_content.CertificationType",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issued by"), max_length=200)
    issuer_translation = models.CharField(
        _("issued by, translated"), max_length=200, blank=True, help_text=ISSUER_TRANSLATION_HELP
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    proof = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("proof document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CertificateQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("brand"), FieldPanel("product")], heading=_("Holder (one of)")),
        FieldPanel("certification_type"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("issuer")]),
        FieldPanel("issuer_translation"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("proof"),
    ]

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-valid_to"]

    def __str__(self):
        return f"{self.certification_type} {self.number}" if self.certification_type_id else self.number

    @property
    def is_expired(self):
        return self.valid_to < timezone.localdate()

    @property
    def days_left(self):
        return (self.valid_to - timezone.localdate()).days

    @property
    def state(self):
        """What a buyer should read from it today: "valid", "expiring" (soon), "expired" or "not_yet" valid."""
        if self.valid_to < timezone.localdate():
            return "expired"
        if self.valid_from > timezone.localdate():
            return "not_yet"
        return "expiring" if self.days_left <= CERTIFICATE_EXPIRING_DAYS else "valid"

    def clean(self):
        super().clean()
        if bool(self.brand_id) == bool(self.product_id):
            raise ValidationError({"brand": _("A certificate belongs to either a brand or a product.")})
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("“Valid to” must be after “valid from”.")})
