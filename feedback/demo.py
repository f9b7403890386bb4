"""Demo feedback: a believable spread of approved reviews and answered questions. Idempotent.

Called by `manage.py load_demo` with the demo's products: `create_demo_feedback(products)`;
`grant_moderation(brand_editors_group)` lets the demo's brand editors moderate their brands.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
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
    "何先生",
    "马阿姨",
    "林同学",
    "高女士",
]

# What buyers say about each category's taste and quality: reviews are composed from these so that no
# two read the same (a buyer who sees copies under different names trusts none of them).
PRAISE = {
    "grain": [
        "米粒细长饱满，煮出来油亮油亮的",
        "蒸饭的时候满屋子都是稻花香",
        "凉了也不回生，第二天做炒饭正合适",
        "熬粥很快就开花，米油厚厚一层",
        "孩子说比以前吃的米都香",
        "米粒完整，几乎没有碎米",
        "不用配菜都能吃一碗",
        "水放少一点，口感更有嚼劲",
    ],
    "fruit": [
        "果肉脆甜，汁水很多",
        "个头均匀，一个磕碰的都没有",
        "甜度很高，几乎吃不出酸",
        "放在客厅，满屋子果香",
        "皮薄，削起来很顺手",
        "比超市买的新鲜太多",
        "切开果核小，果肉厚",
        "冷藏一下再吃更爽口",
    ],
    "tea": [
        "汤色清亮，回甘很明显",
        "很耐泡，第五泡还有香气",
        "干茶条索整齐，碎末很少",
        "开罐就闻到一股清香",
        "冲泡后叶底匀整鲜活",
        "喝完喉咙很润，不苦不涩",
        "用玻璃杯泡看着就舒服",
        "办公室同事都问是哪里买的",
    ],
    "meat": [
        "肉质细嫩，一点膻味都没有",
        "清炖只放了盐和姜，汤特别鲜",
        "烤出来外焦里嫩",
        "肥瘦相间，涮火锅几秒就熟",
        "解冻后没有血水，品质看得出来",
        "分割整齐，处理得很干净",
        "老人孩子都说好嚼",
        "真空包装，冷冻保存很方便",
    ],
    "aquatic": [
        "到的时候全部是活的，吐着泡泡",
        "蟹黄满满，膏很肥",
        "个头和描述的一样，足秤",
        "蒸了十五分钟，肉鲜甜",
        "绑绳扎得结实，拆开也方便",
        "腿肉也很饱满",
        "冰袋到家还没化",
        "送的姜茶和醋包很贴心",
    ],
    "dried": [
        "颗粒饱满，颜色自然不发暗",
        "泡水不掉色，看得出没有熏硫",
        "直接嚼着吃甜甜的",
        "密封罐开合很方便",
        "每天早上泡一小把",
        "分量足，包装严实",
        "和之前买的散装货完全不一样",
        "配料表干干净净",
    ],
    "preserved": [
        "脆嫩爽口，咸淡刚好",
        "配白粥一绝",
        "炒肉丝放一点很提味",
        "不齁咸，有股鲜香",
        "老坛的味道很地道",
        "小包装带去公司很方便",
        "煮面的时候加一包，好吃",
        "开袋就是一股熟悉的香味",
    ],
}
PRAISE_DEFAULT = PRAISE["fruit"]
COMPLAINTS = {
    "grain": ["这次有几粒碎米", "口感比上一袋稍微硬一点"],
    "fruit": ["有两个果子磕坏了", "这批大小不太均匀"],
    "tea": ["这次香气比上一罐淡一些", "罐子外面有个凹痕"],
    "meat": ["冰袋到的时候已经化了一半", "这次肥肉稍多"],
    "aquatic": ["有一只到的时候不太精神", "比约定的时间晚到了半天"],
    "dried": ["罐底有一点碎末", "这次颜色比上次深"],
    "preserved": ["这次偏咸了一点", "有一袋封口不太严"],
}
OPENERS = [
    "第三次回购了。",
    "朋友推荐来买的。",
    "看了产地直播才下的单。",
    "扫了包装上的码，种植和采收记录都能看到。",
    "给家里老人买的。",
    "第一次在这家买。",
    "公司发福利团购的。",
    "去年买过一次，今年又来了。",
    "在直播间抢的优惠。",
    "",
]
CLOSERS = [
    "物流两天就到了。",
    "快递送货上门，很省心。",
    "包装很结实，没有一点破损。",
    "客服回复很及时。",
    "会继续回购。",
    "已经推荐给同事了。",
    "价格比超市略贵，但值。",
    "下次买大包装。",
]
GRIPES = [
    "外箱有点压坏了，希望加强包装。",
    "比说好的晚发了两天，客服回复也慢。",
    "价格偏高，希望多搞活动。",
    "快递放在驿站没通知，差点放坏。",
]
TITLES_GOOD = [
    "回购好几次了",
    "和直播里看到的一样",
    "品质稳定",
    "扫码能看到产地",
    "送人很有面子",
    "味道正宗",
    "物超所值",
    "家里人都爱吃",
]
TITLES_OK = ["还可以，包装可以改进", "一般般", "发货慢了点", "这批不如上批", "有点小问题"]

# The brand's replies: a greeting, an answer to what the buyer said, and who answered.
THANKS = [
    "谢谢您的支持！",
    "感谢认可，大家看到评价都很开心。",
    "谢谢您专门写下评价。",
    "感谢您一直以来的信任。",
    "收到您的好评，我们把它转给了地里的师傅们。",
    "谢谢，欢迎常来直播间看看产地。",
]
APOLOGIES = [
    "非常抱歉给您带来不便。",
    "实在抱歉，这次没做好。",
    "谢谢您指出问题。",
    "抱歉让您失望了。",
]
FOLLOW_UPS = {
    "grain": [
        "新米每年十月开镰，到时第一时间在直播间通知。",
        "建议米和水按1:1.2，浸泡半小时再煮。",
        "开袋后放阴凉处，夏天可以冷藏。",
    ],
    "fruit": ["下一批正在树上长着，成熟了就摘。", "放在阴凉通风处，别和其他水果挤在一起。", "冷藏后口感更脆。"],
    "tea": ["建议85℃左右的水冲泡，不要闷。", "开封后密封冷藏，香气保持得更久。", "今年的新茶下月上市，欢迎尝鲜。"],
    "meat": ["冷冻保存，吃之前放冷藏室慢慢解冻。", "清炖时水开后撇去浮沫，汤更清。", "下周直播会教大家做手抓羊肉。"],
    "aquatic": ["收到后放冰箱冷藏，两天内蒸完最好。", "蒸之前刷干净，肚子朝上蒸。", "十月是公蟹最肥的时候，欢迎再来。"],
    "dried": ["开封后密封防潮，冷藏保存更好。", "泡水温度不要太高，60℃左右最好。", "每批都送检，报告在溯源页能看到。"],
    "preserved": ["开袋后冷藏，三天内吃完最好。", "炒菜时少放盐，榨菜本身有咸味。", "老坛装开坛后记得压紧。"],
}
FIXES = [
    "客服会主动联系您补发或退款。",
    "这个批次的情况已经记下，下一批会重点检查。",
    "我们已经联系快递改进包装。",
    "已经给您补偿了一张优惠券，请查收。",
]
STAFF = ["小李", "小王", "阿芳", "老周", "小何", "阿强"]

# Questions asked of every product, and the brand's answer in its category's terms.
QUESTIONS = {
    "shelf": "保质期多久？收到后怎么保存？",
    "invoice": "可以开发票吗？",
    "fresh": "是今年的新货吗？",
    "remote": "偏远地区包邮吗？",
    "trial": "有没有小包装可以先试试？",
}
# The editors' English of the demo's questions, shown beside them on English pages (a fixed set, so translated once).
QUESTIONS_EN = {
    "shelf": "How long does it keep, and how should I store it when it arrives?",
    "invoice": "Can you issue an invoice?",
    "fresh": "Is this year's new crop?",
    "remote": "Is shipping free to remote areas?",
    "trial": "Is there a small pack to try first?",
}
SHELF = {
    "grain": "常温阴凉处可存放12个月，开袋后建议密封冷藏，三个月内吃完。",
    "fruit": "常温阴凉处可放两周左右，冷藏能放一个月，记得别和香蕉放一起。",
    "tea": "密封避光可存放18个月，开封后放冰箱冷藏，一个月内喝完香气最好。",
    "meat": "-18℃冷冻可保存12个月，解冻后不要再次冷冻。",
    "aquatic": "活蟹收到后冷藏（5℃左右）可存活两三天，建议尽快蒸食。",
    "dried": "密封常温可存放12个月，开封后冷藏防潮。",
    "preserved": "常温未开封可存放9个月，开封后冷藏，三天内吃完。",
}

SHELF_TIPS = [
    "",
    "收到后先检查包装是否完好。",
    "有任何问题随时联系客服。",
    "包装上印有生产日期。",
    "天热时尽量放冰箱。",
]


def _email(product, n):
    return f"buyer{n}.{product.pk}@{DEMO_EMAIL_DOMAIN}"


def _category(product):
    category = getattr(product, "category", None)
    return category.slug if category is not None else ""


class _Unique:
    """Picks texts from a generator until one has not been used: demo reviews and replies never repeat."""

    def __init__(self, used):
        self.used = set(used)

    def pick(self, make, rng, tries=200):
        for _ in range(tries):
            text = make(rng)
            if text not in self.used:
                self.used.add(text)
                return text
        # Every combination is taken: an ordinal keeps it distinct and still reads naturally.
        text = f"{make(rng)}（第{len(self.used) + 1}条）"
        self.used.add(text)
        return text


def _review_text(kind, rating):
    praise, complaints = PRAISE.get(kind, PRAISE_DEFAULT), COMPLAINTS.get(kind, COMPLAINTS["fruit"])

    def make(rng):
        if rating >= 4:
            first, second = rng.sample(praise, 2)
            return f"{rng.choice(OPENERS)}{first}，{second}。{rng.choice(CLOSERS)}"
        return f"{rng.choice(OPENERS)}{rng.choice(praise)}，不过{rng.choice(complaints)}。{rng.choice(GRIPES)}"

    return make


def _reply_text(kind, rating, name, brand):
    follow_ups = FOLLOW_UPS.get(kind, FOLLOW_UPS["fruit"])

    def make(rng):
        if rating <= 3:
            middle = f"{rng.choice(APOLOGIES)}{rng.choice(FIXES)}"
        else:
            middle = f"{rng.choice(THANKS)}{rng.choice(follow_ups)}"
        return f"{name}您好，{middle}——{brand}客服{rng.choice(STAFF)}"

    return make


def _answer_text(key, kind, product, brand):
    unit = getattr(product, "unit", "") or ""

    def make(rng):
        staff = rng.choice(STAFF)
        answers = {
            "shelf": SHELF.get(kind, SHELF["dried"]) + rng.choice(SHELF_TIPS),
            "invoice": f"可以的，{brand}的订单都能开票：下单时备注抬头和税号，{rng.choice(['随货寄纸质发票', '开电子发票发到您邮箱'])}。",
            "fresh": f"是的，{product.title}当季采收当季发货，包装上的批次码可以查到采收日期。",
            "remote": f"这款{unit}发新疆、西藏等偏远地区需补{rng.choice([10, 15, 20])}元运费，其他地区包邮。",
            "trial": rng.choice(
                [
                    f"{brand}的店铺首页有尝鲜装，可以先试试。",
                    "直播间不定期上小份尝鲜装，关注一下就能看到。",
                    "目前只有这一种规格，可以和朋友拼单。",
                ]
            ),
        }
        return f"{answers[key]}（{staff}）"

    return make


def create_demo_feedback(products, now=None):
    """Approved reviews (some batch-verified) and answered questions for each product; returns rows created.

    No two demo reviews, and no two demo answers, have the same text.
    """
    now = now or timezone.now()
    created = {"reviews": 0, "questions": 0, "answers": 0}
    demo = {"email__endswith": f"@{DEMO_EMAIL_DOMAIN}"}
    reviews_used = _Unique(Review.objects.filter(**demo).values_list("body", flat=True))
    answers_used = _Unique(
        Answer.objects.filter(
            Q(review__email__endswith=demo["email__endswith"]) | Q(question__email__endswith=demo["email__endswith"])
        ).values_list("body", flat=True)
    )
    for product in products:
        if Review.objects.filter(product=product, **demo).exists():
            continue
        rng = random.Random(f"feedback-{product.slug}")  # noqa: S311  (demo data, not security)
        kind = _category(product)
        brand = product.get_parent().title
        lot_codes = list(product.batches.values_list("lot_code", flat=True)) if hasattr(product, "batches") else []
        for n in range(rng.randint(4, 11)):
            rating = rng.choices([5, 4, 3, 2], weights=[50, 32, 12, 6])[0]
            asked = now - timedelta(days=rng.uniform(1, 150))
            lot = rng.choice(lot_codes) if lot_codes and rng.random() < 0.4 else ""
            name = rng.choice(NAMES)
            review = Review.objects.create(
                product=product,
                rating=rating,
                title=rng.choice(TITLES_GOOD if rating >= 4 else TITLES_OK),
                body=reviews_used.pick(_review_text(kind, rating), rng),
                display_name=name,
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
                    body=answers_used.pick(_reply_text(kind, rating, name, brand), rng),
                    answered_at=asked + timedelta(hours=rng.choice([2, 5, 9, 20, 30, 60])),
                )
                created["answers"] += 1
        for n, key in enumerate(rng.sample(sorted(QUESTIONS), rng.randint(1, 3))):
            asked = now - timedelta(days=rng.uniform(1, 120))
            question = Question.objects.create(
                page=product,
                body=QUESTIONS[key],
                display_name=rng.choice(NAMES),
                email=_email(product, 100 + n),
                status=Status.APPROVED,
                created_at=asked,
                confirmed_at=asked + timedelta(minutes=5),
                moderated_at=asked + timedelta(hours=3),
            )
            Answer.objects.create(
                question=question,
                body=answers_used.pick(_answer_text(key, kind, product, brand), rng),
                answered_at=asked + timedelta(hours=rng.choice([1, 4, 12, 26, 70])),
            )
            created["questions"] += 1
            created["answers"] += 1
    translate_demo_questions()
    return created


def translate_demo_questions():
    """The editors' English for the demo's questions, also on a demo built before translations; one kept as is."""
    demo = Question.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", body_translation="")
    for key, english in QUESTIONS_EN.items():
        demo.filter(body=QUESTIONS[key]).update(body_translation=english)


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
