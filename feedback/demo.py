"""Demo feedback: a believable spread of approved reviews and answered questions. Idempotent.

Called by `manage.py load_demo` with the demo's products: `create_demo_feedback(products)`;
`grant_moderation(brand_editors_group)` lets the demo's brand editors moderate their brands.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from .models import Answer, Question, Review, Status

DEMO_EMAIL_DOMAIN = "demo.farmcast.invalid"
MODERATORS_GROUP = "版主 Moderators"

NAMES = [
    "王女士",
    "李先生",
    "小陈",
    "张阿姨",
    "刘同学",
    "赵师傅",
    "周妈妈",
    "吴老师",
    "郑大哥",
    "孙小姐",
    "老杨",
    "黄小米",
]

GOOD = [
    ("回购第三次了", "收到很新鲜，包装也很结实。家里老人孩子都爱吃，会继续回购。"),
    ("和直播里看到的一样", "看了产地直播才下单的，到手和直播里展示的一样，没有夸大。"),
    ("物流快，品质好", "下单第二天就到了，口感比超市买的好很多，值这个价。"),
    ("扫码能看到产地", "扫了包装上的码，能看到种植和采收记录，买得放心。"),
    ("送人很有面子", "买来送长辈的，礼盒大气，东西实在，长辈说好。"),
    ("味道正宗", "就是小时候的味道，品质稳定，比去年那批还好一点。"),
]
OK = [
    ("还可以，包装可以改进", "东西本身不错，但外箱有点压坏了，希望加强包装。"),
    ("口感一般", "可能是这批的原因，口感没有想象中好，价格偏高一点。"),
    ("发货慢了几天", "品质没问题，就是比说好的晚发了三天，客服回复也慢。"),
]
ANSWERS_GOOD = [
    "谢谢您的支持！我们会继续把好关，欢迎常来。",
    "感谢认可，产地直播每周都有，欢迎来直播间看看。",
    "谢谢！您的评价我们转给了地里的师傅们，大家都很开心。",
]
ANSWERS_OK = [
    "非常抱歉给您带来不便，我们已联系快递改进包装，客服会主动联系您补偿。",
    "谢谢您的反馈，这批次的情况我们已经记录，下一批会重点检查。",
]
QUESTIONS = [
    ("保质期多久？收到后怎么保存？", "常温阴凉处可保存六个月，开封后建议密封冷藏，尽快食用。"),
    ("可以开发票吗？", "可以的，下单时备注抬头和税号，我们随货寄出或开电子发票。"),
    ("是今年的新货吗？", "是的，当季采收当季发货，包装上的批次码可以查到采收日期。"),
    ("偏远地区包邮吗？", "新疆、西藏等偏远地区需补运费，其他地区全部包邮。"),
    ("有没有小包装可以先试试？", "有500克的尝鲜装，在店铺首页就能找到。"),
]


def _email(product, n):
    return f"buyer{n}.{product.pk}@{DEMO_EMAIL_DOMAIN}"


def create_demo_feedback(products, now=None):
    """Approved reviews (some batch-verified) and answered questions for each product; returns rows created."""
    now = now or timezone.now()
    created = {"reviews": 0, "questions": 0, "answers": 0}
    for product in products:
        if Review.objects.filter(product=product, email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
            continue
        rng = random.Random(f"feedback-{product.slug}")  # noqa: S311  (demo data, not security)
        lot_codes = list(product.batches.values_list("lot_code", flat=True)) if hasattr(product, "batches") else []
        for n in range(rng.randint(4, 11)):
            rating = rng.choices([5, 4, 3, 2], weights=[50, 32, 12, 6])[0]
            title, body = rng.choice(GOOD if rating >= 4 else OK)
            asked = now - timedelta(days=rng.uniform(1, 150))
            lot = rng.choice(lot_codes) if lot_codes and rng.random() < 0.4 else ""
            review = Review.objects.create(
                product=product,
                rating=rating,
                title=title,
                body=body,
                display_name=rng.choice(NAMES),
                email=_email(product, n),
                lot_code=lot,
                batch_verified=bool(lot),
                status=Status.APPROVED,
                created_at=asked,
                confirmed_at=asked + timedelta(minutes=rng.randint(1, 30)),
                moderated_at=asked + timedelta(hours=rng.uniform(1, 20)),
            )
            created["reviews"] += 1
            # Brands answer complaints nearly always, praise often; most within two days.
            if rng.random() < (0.9 if rating <= 3 else 0.5):
                Answer.objects.create(
                    review=review,
                    body=rng.choice(ANSWERS_OK if rating <= 3 else ANSWERS_GOOD),
                    answered_at=asked + timedelta(hours=rng.choice([2, 5, 9, 20, 30, 60])),
                )
                created["answers"] += 1
        for n, (question_text, answer_text) in enumerate(rng.sample(QUESTIONS, rng.randint(1, 3))):
            asked = now - timedelta(days=rng.uniform(1, 120))
            question = Question.objects.create(
                page=product,
                body=question_text,
                display_name=rng.choice(NAMES),
                email=_email(product, 100 + n),
                status=Status.APPROVED,
                created_at=asked,
                confirmed_at=asked + timedelta(minutes=5),
                moderated_at=asked + timedelta(hours=3),
            )
            Answer.objects.create(
                question=question, body=answer_text, answered_at=asked + timedelta(hours=rng.choice([1, 4, 12, 26, 70]))
            )
            created["questions"] += 1
            created["answers"] += 1
    return created


def grant_moderation(brand_editors_group=None):
    """Brand editors may moderate (never delete) feedback on their brands; a moderators group may moderate all."""
    change = Permission.objects.filter(
        content_type__app_label="feedback",
        codename__in=["view_review", "change_review", "view_question", "change_question"],
    )
    if brand_editors_group is not None:
        brand_editors_group.permissions.add(*change)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    moderate_all = Permission.objects.get(content_type__app_label="feedback", codename="moderate_all_feedback")
    moderators.permissions.add(access_admin, moderate_all, *change)
    return moderators
