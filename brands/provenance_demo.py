"""Demo provenance: one sealed batch per product with photos whose EXIF says when and where they were taken.

`load_demo` calls `create_demo_batches(product)` for each product; it is idempotent (a product that
already has a batch is left alone). Photos are drawn with Pillow, so the demo needs no network.
"""

import io
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .exif import CAMERA_DEFAULT_ZONE
from .models import Batch, Certificate, EvidenceFile, ProvenanceEvent
from .seal import seal_batch

# Approximate centres of the demo's counties (site_content/demo/data.py), for event coordinates.
PLACES = {
    "230184": ("44.931900", "127.159000"),  # 五常 Wuchang
    "360734": ("24.954000", "115.646000"),  # 寻乌 Xunwu
    "640323": ("37.783000", "107.407000"),  # 盐池 Yanchi
    "640521": ("37.491000", "105.685000"),  # 中宁 Zhongning
    "370686": ("37.335000", "120.850000"),  # 栖霞 Qixia
    "330106": ("30.259000", "120.130000"),  # 西湖 Xihu
    "320507": ("31.396000", "120.642000"),  # 相城 Xiangcheng
    "610629": ("35.762000", "109.432000"),  # 洛川 Luochuan
    "530802": ("22.787000", "100.977000"),  # 思茅 Simao
    "350524": ("25.056000", "118.186000"),  # 安溪 Anxi
    "652801": ("41.726000", "86.174000"),  # 库尔勒 Korla
    "500102": ("29.703000", "107.389000"),  # 涪陵 Fuling
    "411502": ("32.117000", "114.059000"),  # 浉河 Shihe
}

Stage = ProvenanceEvent.Stage
# (stage, days before today, actor, note, colour of the drawn photo)
TIMELINE = [
    (Stage.PLANTING, 190, "合作社种植组", "育苗移栽，每亩施有机肥 2 吨。", (96, 140, 60)),
    (Stage.GROWING, 120, "合作社种植组", "人工除草，未使用除草剂。", (70, 150, 70)),
    (Stage.INSPECTION, 75, "县农产品质量安全检测站", "田间抽样，农药残留 56 项未检出。", (200, 200, 190)),
    (Stage.HARVEST, 60, "合作社收获组", "晴天收获，当天入库。", (210, 170, 60)),
    (Stage.PROCESSING, 57, "合作社加工车间", "低温加工，分级筛选。", (180, 160, 120)),
    (Stage.PACKING, 55, "合作社包装车间", "真空包装，每袋贴批次码。", (160, 130, 100)),
    (Stage.SHIPPING, 52, "顺丰冷链", "冷链发往杭州、上海仓。", (90, 110, 150)),
]


def photo_with_exif(taken_at, latitude=None, longitude=None, colour=(90, 140, 70), size=(640, 480), label=""):
    """A JPEG whose EXIF carries the capture time (local, with its offset) and, optionally, GPS."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(0, h, 24):  # furrows, so the photo is not a flat colour
        draw.line([(0, i), (w, i + h // 3)], fill=tuple(max(0, c - 30) for c in colour), width=6)
    if label:
        draw.rectangle([(16, h - 56), (w - 16, h - 16)], fill=(255, 255, 255))
        draw.text((28, h - 46), label, fill=(0, 0, 0))
    exif = Image.Exif()
    local = taken_at.astimezone(CAMERA_DEFAULT_ZONE)
    stamp = local.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp
    exif[0x010F] = "Farmcast demo camera"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = stamp
    sub[0x9011] = "+08:00"
    if latitude is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if latitude >= 0 else "S"), _dms(abs(latitude))
        gps[3], gps[4] = ("E" if longitude >= 0 else "W"), _dms(abs(longitude))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


def _dms(value):
    value = float(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def report_pdf(title):
    """A one-page PDF 'inspection report' drawn with Pillow."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 60), title, fill="black")
    for row in range(8):
        draw.rectangle([(60, 120 + row * 40), (535, 150 + row * 40)], outline="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF")
    return buffer.getvalue()


def _at(days_ago, hour=10):
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=CAMERA_DEFAULT_ZONE)


@transaction.atomic
def create_demo_batches(product):
    """One batch with a full, sealed timeline and evidence for `product`, plus its certificates. Idempotent."""
    existing = list(product.batches.all())
    if existing:
        return existing
    brand = product.get_parent().specific
    region = brand.region
    place = PLACES.get(region.code)
    lat, lon = (Decimal(place[0]), Decimal(place[1])) if place else (None, None)
    harvest_days = next(days for stage, days, *_ in TIMELINE if stage == Stage.HARVEST)
    batch = Batch.objects.create(
        product=product,
        quantity=Decimal("1200"),
        unit=product.unit or "kg",
        harvest_date=_at(harvest_days).date(),
        status=Batch.Status.AVAILABLE,
    )
    images, documents = get_image_model(), get_document_model()
    for stage, days, actor, note, colour in TIMELINE:
        occurred_at = _at(days)
        event = ProvenanceEvent.objects.create(
            batch=batch,
            stage=stage,
            occurred_at=occurred_at,
            region=region,
            latitude=lat,
            longitude=lon,
            actor=actor,
            note=note,
        )
        # A photo taken 40 minutes after the event starts, about 1 km away, as a phone would record it.
        photo_lat = None if lat is None else lat + Decimal("0.008")
        photo_lon = None if lon is None else lon + Decimal("0.006")
        name = f"{batch.lot_code.lower()}-{stage}"
        image = images.objects.create(
            title=f"{product.title} · {event.get_stage_display()}",
            file=ImageFile(
                io.BytesIO(
                    photo_with_exif(occurred_at + timedelta(minutes=40), photo_lat, photo_lon, colour, label=stage)
                ),
                name=f"{name}.jpg",
            ),
        )
        EvidenceFile.objects.create(event=event, kind=EvidenceFile.Kind.PHOTO, image=image, caption=note[:200])
        if stage == Stage.INSPECTION:
            document = documents.objects.create(
                title=f"{product.title} 检测报告",
                file=ContentFile(report_pdf(f"Inspection report {batch.display_code}"), name=f"{name}.pdf"),
            )
            EvidenceFile.objects.create(
                event=event, kind=EvidenceFile.Kind.INSPECTION_REPORT, document=document, caption="农药残留检测报告"
            )
    seal_batch(batch)
    _create_demo_certificates(product)
    return [batch]


def _create_demo_certificates(product):
    today = timezone.localdate()
    for n, certification_type in enumerate(product.certifications.all(), start=1):
        Certificate.objects.get_or_create(
            product=product,
            certification_type=certification_type,
            defaults={
                "number": f"DEMO-{product.pk:04d}-{n:02d}",
                "issuer": certification_type.issuing_body or "认证机构",
                "valid_from": today - timedelta(days=400),
                "valid_to": today + timedelta(days=700),
            },
        )
