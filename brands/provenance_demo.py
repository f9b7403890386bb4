"""Demo provenance: one sealed batch per product with photos whose EXIF says when and where they were taken.

`load_demo` calls `create_demo_batches(product)` for each product; it is idempotent (a product that
already has a batch is left alone). Photos are drawn with Pillow, so the demo needs no network.
"""

import io
import math
import random
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

# Approximate centres of the demo's counties (home/demo/data.py), for event coordinates.
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
# Each category's timeline: (stage, days before today, hour, actor, note, caption of its photo,
# minutes after the event the photo was taken, metres east and north of the event's place).
# The photo's own EXIF carries that time and place, so the trace page's check can compare them.
_CROP = [
    (Stage.PLANTING, 190, 8, "合作社种植组", "育苗移栽，每亩施腐熟农家肥 2 吨。", "移栽当天的地块", 35, (600, 800)),
    (Stage.GROWING, 120, 9, "合作社种植组", "人工除草，生物防治，未使用除草剂。", "生长期巡田", 50, (-900, 400)),
    (
        Stage.INSPECTION,
        75,
        14,
        "县农产品质量安全检测站",
        "田间抽样送检，农药残留 56 项未检出。",
        "检测站实验室里的样品",
        160,
        (4200, 6100),
    ),
    (Stage.HARVEST, 60, 7, "合作社收获组", "晴天收获，当天入库。", "收获现场", 90, (300, -500)),
    (Stage.PROCESSING, 57, 10, "合作社加工车间", "低温加工，分级筛选。", "加工车间的分选线", 25, (1800, 2200)),
    (Stage.PACKING, 55, 13, "合作社包装车间", "真空包装，每袋贴批次码。", "包装台上贴好批次码的包裹", 40, (1850, 2150)),
    (Stage.SHIPPING, 52, 16, "顺丰冷链", "冷链发往杭州、上海仓。", "装车发运", 20, (2000, 2300)),
]
# The editors' English of the crop timeline's notes (the sealed notes stay Chinese; translations are not sealed).
NOTES_EN = {
    "育苗移栽，每亩施腐熟农家肥 2 吨。": "Seedlings transplanted; 2 tonnes of well-rotted farmyard manure per mu.",
    "人工除草，生物防治，未使用除草剂。": "Weeded by hand, pests kept down by natural enemies; no herbicide used.",
    "田间抽样送检，农药残留 56 项未检出。": "Field samples sent to the lab: none of 56 pesticide residues found.",
    "晴天收获，当天入库。": "Harvested on a sunny day and stored the same day.",
    "低温加工，分级筛选。": "Processed at low temperature, graded and sorted.",
    "真空包装，每袋贴批次码。": "Vacuum-packed; every bag labelled with its lot code.",
    "冷链发往杭州、上海仓。": "Shipped by cold chain to the Hangzhou and Shanghai warehouses.",
}
TIMELINES = {
    "fruit": [
        (Stage.PLANTING, 200, 8, "果园管护组", "春季施有机肥，疏花疏果。", "疏花后的果园", 45, (500, 700)),
        (
            Stage.GROWING,
            110,
            9,
            "果园管护组",
            "挂果期人工除草，释放捕食螨防治红蜘蛛。",
            "挂果期的果树",
            30,
            (-700, 300),
        ),
        (
            Stage.INSPECTION,
            40,
            15,
            "县农产品质量安全检测站",
            "果园抽样送检，农药残留 62 项未检出。",
            "实验室里的抽检样果",
            180,
            (5200, 4300),
        ),
        (Stage.HARVEST, 28, 7, "果园采摘组", "人工采摘，带果柄剪下，轻拿轻放。", "刚摘下的果子装筐", 70, (200, 400)),
        (Stage.PROCESSING, 27, 9, "选果车间", "光电分选：按果径和糖度分级。", "分选线上的果子", 35, (2100, 1500)),
        (Stage.PACKING, 27, 15, "选果车间", "网套加纸箱，每箱贴批次码。", "装箱贴码", 20, (2150, 1450)),
        (Stage.SHIPPING, 26, 10, "顺丰冷链", "冷链次日达华东、华南主要城市。", "冷链车装货", 15, (2300, 1600)),
    ],
    "tea": [
        (Stage.PLANTING, 160, 9, "茶园管护组", "冬季深耕，施菜籽饼肥。", "冬管后的茶垄", 40, (400, 500)),
        (Stage.GROWING, 60, 8, "茶园管护组", "春芽萌发，人工除草，黄板诱虫。", "萌芽期的茶园", 55, (-600, 350)),
        (
            Stage.INSPECTION,
            48,
            14,
            "县农产品质量安全检测站",
            "鲜叶抽样，农药残留 68 项未检出。",
            "检测中的鲜叶样品",
            120,
            (6100, 3900),
        ),
        (Stage.HARVEST, 45, 6, "采茶组", "人工采摘一芽一叶，当天摊青。", "采下的鲜叶", 80, (250, -300)),
        (Stage.PROCESSING, 45, 14, "炒茶车间", "摊青、杀青、理条，手工炒制。", "铁锅里手工炒制", 30, (900, 1200)),
        (Stage.PACKING, 43, 10, "茶厂包装间", "充氮包装，每罐贴批次码。", "封罐贴码", 25, (950, 1150)),
        (Stage.SHIPPING, 42, 15, "顺丰速运", "顺丰发往各地仓库。", "发货", 20, (1000, 1300)),
    ],
    "meat": [
        (
            Stage.GROWING,
            220,
            10,
            "牧场养殖组",
            "滩羊在盐池草原放牧，补饲甘草和玉米。",
            "草场上放牧的羊群",
            60,
            (1500, -900),
        ),
        (
            Stage.INSPECTION,
            30,
            9,
            "县动物卫生监督所",
            "出栏前检疫，出具动物检疫合格证明。",
            "检疫样品",
            150,
            (8200, 5100),
        ),
        (
            Stage.HARVEST,
            16,
            8,
            "牧场养殖组",
            "出栏，送定点屠宰场，宰后排酸 24 小时。",
            "出栏前圈舍里的羊",
            40,
            (300, 200),
        ),
        (Stage.PROCESSING, 15, 10, "肉品分割车间", "按部位分割，-35℃ 速冻。", "分割线", 30, (9800, 7200)),
        (Stage.PACKING, 15, 15, "肉品分割车间", "真空贴体包装，每盒贴批次码。", "装箱贴码", 25, (9850, 7150)),
        (Stage.SHIPPING, 14, 9, "冷链物流", "-18℃ 冷链车发往北京、上海仓。", "冷链车装货", 20, (9900, 7300)),
    ],
    "aquatic": [
        (
            Stage.PLANTING,
            230,
            8,
            "渔家养殖组",
            "投放蟹苗，每亩 600 只，种植伊乐藻。",
            "围网里刚投苗的蟹塘",
            30,
            (400, 300),
        ),
        (Stage.GROWING, 120, 7, "渔家养殖组", "投喂螺蛳和玉米，每天巡塘测水质。", "夏天的蟹塘", 45, (-500, 250)),
        (
            Stage.INSPECTION,
            40,
            10,
            "市水产品质量检测中心",
            "水质与蟹体抽检，氯霉素、孔雀石绿未检出。",
            "实验室里的抽检蟹",
            200,
            (14800, 9600),
        ),
        (Stage.HARVEST, 12, 5, "渔家养殖组", "地笼捕捞，分拣公母。", "刚起笼的大闸蟹", 60, (200, -150)),
        (Stage.PROCESSING, 12, 9, "渔家养殖组", "吐泥暂养，清洗，扎草绳。", "清洗分拣", 25, (600, 400)),
        (Stage.PACKING, 12, 13, "渔家养殖组", "冰袋保温箱包装，每箱贴批次码。", "保温箱装箱", 20, (620, 420)),
        (Stage.SHIPPING, 12, 16, "顺丰冷链", "顺丰冷链当日发出，次日送达。", "冷链车装货", 15, (700, 500)),
    ],
    "dried": [
        (Stage.PLANTING, 210, 9, "合作社种植组", "春季修剪，施羊粪有机肥。", "修剪后的园子", 40, (500, 600)),
        (Stage.GROWING, 130, 8, "合作社种植组", "生物防治，黄板诱虫，不用化学除草剂。", "挂果期", 50, (-800, 200)),
        (
            Stage.INSPECTION,
            80,
            14,
            "县农产品质量安全检测站",
            "抽样送检：农残与二氧化硫残留均未检出。",
            "检测中的样品",
            140,
            (5600, 4700),
        ),
        (Stage.HARVEST, 70, 7, "合作社采摘组", "人工采摘鲜果，当天晾晒。", "采摘下来的鲜果", 80, (300, 300)),
        (Stage.PROCESSING, 66, 10, "合作社加工车间", "低温烘干，不熏硫、不添加。", "烘干后的分选", 30, (2600, 1900)),
        (Stage.PACKING, 60, 14, "合作社包装车间", "充氮密封，每罐贴批次码。", "封装贴码", 20, (2650, 1850)),
        (Stage.SHIPPING, 58, 10, "顺丰速运", "顺丰发往各地仓库。", "发货", 20, (2700, 2000)),
    ],
    "preserved": [
        (Stage.PLANTING, 180, 9, "合作社种植组", "9 月育苗，10 月移栽青菜头。", "移栽后的菜地", 40, (500, 500)),
        (Stage.GROWING, 120, 10, "合作社种植组", "冬季生长期，人工除草。", "冬天的青菜头地", 45, (-700, 300)),
        (
            Stage.INSPECTION,
            95,
            14,
            "区农产品质量安全检测站",
            "抽样检测：亚硝酸盐与农残未检出。",
            "检测中的样品",
            130,
            (6400, 3500),
        ),
        (Stage.HARVEST, 90, 8, "合作社收获组", "采收青菜头，上架风脱水。", "采收的青菜头装筐", 60, (300, -200)),
        (Stage.PROCESSING, 80, 9, "合作社加工厂", "三腌三榨，老坛自然发酵。", "腌制车间", 35, (3100, 2400)),
        (Stage.PACKING, 20, 10, "合作社加工厂", "分装，巴氏杀菌，贴批次码。", "分装贴码", 25, (3150, 2350)),
        (Stage.SHIPPING, 18, 15, "顺丰速运", "发往各地仓库。", "发货", 20, (3200, 2500)),
    ],
}


def timeline_for(product):
    """The demo timeline that fits the product's category (crops, orchards, tea, livestock, ponds...)."""
    category = getattr(product, "category", None)
    return TIMELINES.get(category.slug if category is not None else "", _CROP)


def placeholder_photo(product, stage, seed, size=(640, 480)):
    """A flat photo in a stage's colour: what the demo draws when no richer picture is supplied."""
    colour = STAGE_COLOURS.get(stage, (120, 140, 100))
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(0, h, 24):  # furrows, so the photo is not a flat colour
        draw.line([(0, i), (w, i + h // 3)], fill=tuple(max(0, c - 30) for c in colour), width=6)
    return image


STAGE_COLOURS = {
    Stage.PLANTING: (96, 140, 60),
    Stage.GROWING: (70, 150, 70),
    Stage.INSPECTION: (200, 200, 190),
    Stage.HARVEST: (210, 170, 60),
    Stage.PROCESSING: (180, 160, 120),
    Stage.PACKING: (160, 130, 100),
    Stage.SHIPPING: (90, 110, 150),
}


def photo_with_exif(taken_at, latitude=None, longitude=None, image=None, size=(640, 480)):
    """A JPEG of `image` whose EXIF carries the capture time (local, with its offset) and, optionally, GPS."""
    if image is None:
        image = Image.new("RGB", size, (90, 140, 70))
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
    image.save(buffer, "JPEG", quality=80, optimize=True, exif=exif)
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


def _moved(lat, lon, metres):
    """The point `metres` = (east, north) away: how far from the event a photo was taken."""
    east, north = metres
    dlat = Decimal(north) / Decimal(111_320)
    dlon = Decimal(east) / Decimal(111_320 * math.cos(math.radians(float(lat))))
    return (lat + dlat).quantize(Decimal("0.000001")), (lon + dlon).quantize(Decimal("0.000001"))


@transaction.atomic
def create_demo_batches(product, photo=None):
    """One batch with a full, sealed timeline and evidence for `product`, plus its certificates. Idempotent.

    `photo(product, stage, seed)` draws each evidence photo (a PIL image); without one, a flat placeholder.
    """
    existing = list(product.batches.all())
    if existing:
        return existing
    photo = photo or placeholder_photo
    brand = product.get_parent().specific
    region = brand.region
    place = PLACES.get(region.code)
    lat, lon = (Decimal(place[0]), Decimal(place[1])) if place else (None, None)
    timeline = timeline_for(product)
    harvest = next((days, hour) for stage, days, hour, *_ in timeline if stage == Stage.HARVEST)
    batch = Batch.objects.create(
        product=product,
        quantity=Decimal("1200"),
        unit=product.unit or "kg",
        harvest_date=_at(*harvest).date(),
        status=Batch.Status.AVAILABLE,
    )
    images, documents = get_image_model(), get_document_model()
    for stage, days, hour, actor, note, caption, minutes_later, metres in timeline:
        occurred_at = _at(days, hour)
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
        # Taken a little after the event starts and a little away from its point, as a phone records it.
        photo_lat, photo_lon = _moved(lat, lon, metres) if lat is not None else (None, None)
        name = f"{batch.lot_code.lower()}-{stage}"
        image = images.objects.create(
            title=f"{product.title} · {event.get_stage_display()}：{caption}",
            file=ImageFile(
                io.BytesIO(
                    photo_with_exif(
                        occurred_at + timedelta(minutes=minutes_later),
                        photo_lat,
                        photo_lon,
                        photo(product, stage, batch.lot_code),
                    )
                ),
                name=f"{name}.jpg",
            ),
        )
        EvidenceFile.objects.create(event=event, kind=EvidenceFile.Kind.PHOTO, image=image, caption=caption)
        if stage == Stage.INSPECTION:
            document = documents.objects.create(
                title=f"{product.title} 检测报告",
                file=ContentFile(report_pdf(f"Inspection report {batch.display_code}"), name=f"{name}.pdf"),
            )
            EvidenceFile.objects.create(
                event=event, kind=EvidenceFile.Kind.INSPECTION_REPORT, document=document, caption=f"{actor}检测报告"
            )
    seal_batch(batch)
    _create_demo_certificates(product)
    return [batch]


def translate_demo_notes():
    """The editors' English for the demo's crop notes, also on a demo sealed before translations existed.

    An update, not save(): only the translation changes, which no seal covers (brands/seal.py).
    """
    for note, english in NOTES_EN.items():
        ProvenanceEvent.objects.filter(note=note, note_translation="").update(note_translation=english)


def certificate_number(kind, product, rng):
    """A number in the shape its issuer uses, so a demo certificate reads like a real one."""
    year = timezone.localdate().year % 100
    province = (getattr(product.get_parent().specific.region, "code", "") or "11")[:2]
    if kind == "organic":  # certification body code, OP, year, serial
        return f"{rng.choice([11, 29, 47, 103, 124, 226]):03d}OP{year - 1:02d}{rng.randint(100, 99999):05d}"
    if kind == "green-food":  # LB, product class, year and month, province, serial, grade
        return f"LB-{rng.choice([13, 15, 18, 45, 52]):02d}-{year - 1:02d}{rng.randint(1, 12):02d}{province}{rng.randint(100, 99999):05d}A"
    if kind == "gi":
        return f"AGI{rng.randint(10, 3999):05d}"
    return f"{kind[:3].upper()}-{year:02d}-{rng.randint(1000, 99999)}"


def _create_demo_certificates(product):
    """Certificates for the product's certifications: most valid, a few expiring within a month, one in
    a dozen or so expired, so the trace page shows every state a buyer may meet."""
    today = timezone.localdate()
    for certification_type in product.certifications.all():
        rng = random.Random(f"certificate-{product.slug}-{certification_type.slug}")  # noqa: S311 - demo data
        state = rng.random()
        if state < 0.08:
            valid_to = today - timedelta(days=rng.randint(5, 60))
        elif state < 0.2:
            valid_to = today + timedelta(days=rng.randint(6, 28))
        else:
            valid_to = today + timedelta(days=rng.randint(120, 700))
        Certificate.objects.get_or_create(
            product=product,
            certification_type=certification_type,
            defaults={
                "number": certificate_number(certification_type.slug, product, rng),
                "issuer": certification_type.issuing_body or "认证机构",
                "valid_from": valid_to - timedelta(days=3 * 365),
                "valid_to": valid_to,
            },
        )
