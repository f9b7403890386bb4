"""The transparency log's tables: leaves, stored subtree hashes, signed checkpoints, and trace check runs.

Append-only: the models refuse updates and deletes, on instances and on querysets. brands.transparency
appends, reads and signs; brands.tlog is the arithmetic and the formats.
"""

import base64

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..tlog import leaf_hash
from ..transparency import AppendOnlyError

__all__ = ["AppendOnlyError", "LogCheckpoint", "LogLeaf", "LogNode", "TraceCheck"]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class LogLeaf(AppendOnlyModel):
    """One leaf of the log: a sealed event, or the hash of one of its evidence files."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        EVIDENCE = "evidence", _("Evidence file")

    index = models.PositiveBigIntegerField(_("position in the log"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Plain ids, not foreign keys: the log outlives anything deleted behind the application's back,
    # and a leaf whose event is gone is exactly what a truncation check must still find.
    batch_id = models.BigIntegerField(_("batch id"), db_index=True)
    event_id = models.BigIntegerField(_("event id"))
    sequence = models.PositiveIntegerField(_("position in the batch's chain"))
    data = models.TextField(_("leaf data"))
    created_at = models.DateTimeField(_("appended"), auto_now_add=True)

    class Meta:
        verbose_name = _("log leaf")
        verbose_name_plural = _("log leaves")
        ordering = ["index"]

    def __str__(self):
        return f"{self.index} {self.kind}"

    @property
    def hash(self):
        return leaf_hash(self.data.encode("ascii"))


class LogNode(AppendOnlyModel):
    """The hash of a complete subtree: level L, position i covers leaves [i * 2**L, (i + 1) * 2**L)."""

    level = models.PositiveSmallIntegerField()
    position = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)  # hex

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="unique_log_node")]


class LogCheckpointQuerySet(AppendOnlyQuerySet):
    def latest_signed(self):
        return self.order_by("-size", "-pk").first()


class LogCheckpoint(AppendOnlyModel):
    size = models.PositiveBigIntegerField(_("tree size"))
    root = models.CharField(_("root hash (base64)"), max_length=44)
    note = models.TextField(_("signed note"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    objects = LogCheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("log checkpoint")
        verbose_name_plural = _("log checkpoints")
        ordering = ["-size", "-pk"]

    def __str__(self):
        return f"{self.size} {self.root}"

    @property
    def root_bytes(self):
        return base64.b64decode(self.root)


class TraceCheckQuerySet(models.QuerySet):
    def last_full(self):
        """The last `trace_verify --files` run: what /healthz and the trace pages report."""
        return self.filter(files=True).order_by("-ran_at").first()


class TraceCheck(models.Model):
    """One run of `manage.py trace_verify`: when, whether it re-hashed the files, and what it found broken."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    files = models.BooleanField(_("files re-hashed"), default=False)
    batches = models.PositiveIntegerField(_("batches checked"), default=0)
    broken = models.JSONField(_("broken"), default=list, help_text=_("Lot codes and reasons"))

    objects = TraceCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("trace check")
        verbose_name_plural = _("trace checks")
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {len(self.broken)} broken"
