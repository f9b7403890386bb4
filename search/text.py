"""Text analysis shared by the discovery index and the database search fallback.

Chinese has no spaces between words, so every full-text index we use (SQLite FTS5, PostgreSQL
tsvector, OpenSearch's standard tokenizer) would otherwise see 五常大米 as one opaque token and never
match 大米. These helpers turn text into space-separated words, fold traditional characters to
simplified ones and produce pinyin forms, so that indexing and querying agree.

Everything here is called once per indexed document and once per query: the heavy dictionaries
(jieba, OpenCC, pypinyin) load lazily on first use, not at import, so `manage.py check` and
unrelated requests stay fast.
"""

import re
import unicodedata
from functools import lru_cache

__all__ = ["to_simplified", "segment", "segmented", "pinyin_forms", "has_cjk", "normalise_query", "load_dictionaries"]

# CJK Unified Ideographs (base, extension A, compatibility, extensions B and later).
_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{_CJK_CHARS}]")
# Words outside CJK runs: letters and digits of any script; underscores and punctuation separate.
_LATIN_WORD = re.compile(f"[^\\W_{_CJK_CHARS}]+")
# A whole CJK run is also kept as one token when it is about the length of a name (五常大米), so an
# exact name match ranks above a match of its parts; longer runs are sentences, not names.
_MAX_NAME_RUN = 6


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise_query(query: str) -> str:
    """A query as it is counted and matched whole (search terms, best bets): NFKC, simplified,
    lowercase, printable, single spaces, at most 100 characters."""
    text = to_simplified(_normalise(query or ""))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.lower().split())[:100]


def has_cjk(text: str) -> bool:
    """Whether the text contains at least one Chinese character."""
    return bool(text) and _CJK_CHAR.search(text) is not None


def _normalise(text: str) -> str:
    # NFKC folds full-width Latin letters and digits (Ｗｕｃｈａｎｇ１２３), common in Chinese input.
    return unicodedata.normalize("NFKC", text) if text else ""


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified (臍橙 → 脐橙); other text is unchanged."""
    if not text or not has_cjk(text):
        return text or ""
    return _t2s().convert(text)


# Names (regions, brands, categories, product words) and template sentences recur across thousands
# of documents, so a run's words and pinyin are worked out once; profiling a rebuild showed jieba and
# pypinyin as the largest share of document preparation.
@lru_cache(maxsize=65_536)
def _cut_run(run: str, for_query: bool) -> tuple[str, ...]:
    import rjieba

    if len(run) == 1:
        return (run,)
    if for_query:
        # Precise mode: the fewest, longest words. The index side holds these and their parts, so
        # every query word is found in a document that contains the same characters.
        return tuple(rjieba.cut(run))
    words = rjieba.cut_for_search(run)
    if len(words) > 1 and len(run) <= _MAX_NAME_RUN and run not in words:
        words.append(run)
    return tuple(words)


def segment(text: str, *, for_query: bool = False) -> list[str]:
    """Split text into search tokens: Chinese words (simplified) and lowercase Latin words.

    The default (index) mode uses jieba's search cut, which keeps each word and its shorter
    dictionary words (中华人民共和国 also gives 人民, 共和国), plus short runs whole, so
    五常大米 gives 五常, 大米 and 五常大米. `for_query=True` uses the precise cut, whose words are
    always a subset of what the index mode produced for the same characters, so a query whose
    terms are all required still matches. Punctuation and whitespace are dropped.
    """
    text = to_simplified(_normalise(text))
    if not text:
        return []
    tokens: list[str] = []
    position = 0
    for match in _CJK_RUN.finditer(text):
        tokens.extend(word.lower() for word in _LATIN_WORD.findall(text, position, match.start()))
        tokens.extend(_cut_run(match.group(), for_query))
        position = match.end()
    tokens.extend(word.lower() for word in _LATIN_WORD.findall(text, position))
    return tokens


def segmented(text: str, *, for_query: bool = False) -> str:
    """The tokens of `segment` joined by single spaces, for indexes that split on whitespace."""
    return " ".join(segment(text, for_query=for_query))


def _run_syllables(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    # One syllable per character, so syllables can be grouped by jieba's word boundaries; a
    # character without a reading yields "" rather than itself (it would not be pinyin).
    syllables = lazy_pinyin(run, errors=lambda chars: ["" for _ in chars])
    if len(syllables) != len(run):
        syllables = [(lazy_pinyin(char, errors=lambda chars: [""]) or [""])[0] for char in run]
    return syllables


@lru_cache(maxsize=65_536)
def _word_syllables(word: str) -> tuple[str, ...]:
    return tuple(_run_syllables(word))


# A name-length run's inner word sequences also get their pinyin and initials, so a shopper who
# types the middle of a name finds it: 西湖龙井 (xihulongjing, xhlj) inside 明前西湖龙井.
_MAX_WINDOW_WORDS = 6


def _run_pinyin(run: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """One run's pinyin: all syllables joined, their initials, one word per jieba word, and the
    joined pinyin and initials of each shorter sequence of two or more of its words.

    Syllables are read per jieba word (cached): titles are new combinations of the same words, and
    a polyphonic character is read by the word it is in (重庆 chongqing, 重量 zhongliang).
    """
    per_word = [_word_syllables(word) for word in _cut_run(run, True)]
    syllables = [syllable for word in per_word for syllable in word]
    windows_full, windows_initials = [], []
    if len(per_word) <= _MAX_WINDOW_WORDS:
        for start in range(len(per_word)):
            for end in range(start + 2, len(per_word) + 1):
                if end - start < len(per_word):
                    window = [syllable for word in per_word[start:end] for syllable in word]
                    windows_full.append("".join(window))
                    windows_initials.append("".join(syllable[:1] for syllable in window))
    return (
        "".join(syllables),
        "".join(syllable[:1] for syllable in syllables),
        tuple("".join(word) for word in per_word),
        tuple(windows_full),
        tuple(windows_initials),
    )


def pinyin_forms(text: str) -> dict[str, str]:
    """Toneless pinyin of the Chinese in `text`, in the three forms people type.

    For 五常大米: ``full`` is "wuchangdami" (one word per run of Chinese characters), ``words`` is
    "wuchang dami" (one word per Chinese word) and ``initials`` is "wcdm" (one per run). A run of
    three to six words also gives its inner sequences: 明前西湖龙井 adds xihulongjing, mingqianxihu,
    xhlj and mqxh after mingqianxihulongjing and mqxhlj. Latin text is left out: it is already
    searchable as itself. Empty strings when there is no Chinese.
    """
    text = to_simplified(_normalise(text))
    full: list[str] = []
    words: list[str] = []
    initials: list[str] = []
    inner_full: list[str] = []
    inner_initials: list[str] = []
    if has_cjk(text):
        for match in _CJK_RUN.finditer(text):
            run_full, run_initials, run_words, windows_full, windows_initials = _run_pinyin(match.group())
            full.append(run_full)
            initials.append(run_initials)
            words.extend(run_words)
            inner_full.extend(windows_full)
            inner_initials.extend(windows_initials)
    return {
        "full": " ".join(dict.fromkeys(filter(None, full + inner_full))),
        "words": " ".join(filter(None, words)),
        "initials": " ".join(dict.fromkeys(filter(None, initials + inner_initials))),
    }


def load_dictionaries() -> None:
    """Load OpenCC's, jieba's and pypinyin's dictionaries now rather than on the first query.

    A web worker needs all three to read a query (traditional characters, words, sound-alike typos),
    and together they are ~100 MB (pypinyin 57, jieba 33, OpenCC 7, measured by RSS on import). gunicorn
    calls this in its master after loading the site (gunicorn.conf.py), so the workers it forks share
    one copy instead of each building its own.
    """
    from pypinyin import Style, pinyin

    to_simplified("臍橙")
    _cut_run("五常大米", True)
    pinyin_forms("五常大米")
    pinyin("长", style=Style.NORMAL, heteronym=True)
