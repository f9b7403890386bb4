"""Long questions shoppers type into a search box, reduced to the words that say what they want.

"有没有适合老人吃的五常大米推荐一下" is a sentence, and no page holds every word of it; its key
words (老人, 五常, 大米) are what a page should be matched on. Both search paths ask for
most of the key words rather than all words when a query is this long, and rank pages holding them
close together first (search.query, search.fallback).
"""

from .text import segment

# Words that carry the asking, not the thing asked for: question words, politeness, buying verbs
# every shopper uses, particles. Kept short on purpose: a word wrongly here is never searched.
FILLER_WORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 么 和 与 及 或 是 在 有 要 想 请 给 我 我们 你 你们 他 她 它 这 那 这个 那个 哪个
    有没有 有无 是否 能否 能不能 可不可以 可以 请问 想要 想买 需要 求 求推荐 推荐 推荐一下 一下 一些 一点
    哪里 哪儿 哪家 哪些 什么 怎么 怎么样 怎样 如何 为什么 多少 多少钱 几 买 购买 卖 在哪 在哪里 哪里买
    买到 买点 到 给 送 点 正宗 地道 正品 靠谱 口碑
    好 好的 好吃 比较 最 很 非常 特别 适合 合适 东西 一种 种 款 个 吃 喝 用
    a an the of for to in on at and or is are was be can could would should do does did i me my we you
    your it its this that these those what which where who how why any some please want need buy
    find looking look get best good
    """.split()
)
# A query of this many key words or more is treated as a question: most of them must match.
QUESTION_WORDS = 4
# How many of a question's key words a page must hold: both of two, then 70% (rounded down).
MINIMUM_SHOULD_MATCH = "2<70%"


def key_words(query):
    """The query's words (search.text, query mode) without fillers; the words themselves if nothing is left."""
    words = segment(query, for_query=True)
    kept = [word for word in words if word not in FILLER_WORDS]
    return kept or words


def is_question(query):
    """Whether the query is long enough, or wordy enough, to be matched on most of its key words."""
    words = segment(query, for_query=True)
    kept = key_words(query)
    return len(words) >= QUESTION_WORDS or (len(kept) < len(words) and len(kept) >= 2)


def required(count):
    """How many of `count` key words MINIMUM_SHOULD_MATCH asks for (for the database fallback)."""
    return count if count <= 2 else int(count * 0.7)
