"""The brands app's models: brand and product pages, and the provenance of each batch. Django registers what is named here."""

from .pages import (
    FarmBrandIndexPage,
    FarmBrandPage,
    FarmBrandQuerySet,
    FarmBrandTag,
    ProductBuyLink,
    ProductGalleryImage,
    ProductPage,
    ProductQuerySet,
)
from .provenance import Batch, Certificate, EvidenceFile, ProvenanceEvent
from .transparency import LogCheckpoint, LogLeaf, LogNode, TraceCheck

__all__ = [
    "Batch",
    "Certificate",
    "EvidenceFile",
    "FarmBrandIndexPage",
    "FarmBrandPage",
    "FarmBrandQuerySet",
    "FarmBrandTag",
    "LogCheckpoint",
    "LogLeaf",
    "LogNode",
    "ProductBuyLink",
    "ProductGalleryImage",
    "ProductPage",
    "ProductQuerySet",
    "ProvenanceEvent",
    "TraceCheck",
]
