"""Typing slips shoppers make, corrected against the words this trade uses, the same way on both paths.

Two kinds of slip:
- A pinyin input method offers the right sound with the wrong characters: 五长大米 for 五常大米,
  大迷 for 大米, 龙景 for 龙井. A run of Chinese characters that is not a known word but sounds
  like one (any reading of each character: 长 is chang or zhang) is read as that word.
- A Latin word one or two keystrokes from a known one, a swapped pair of letters counting as one
  (Damerau-Levenshtein): rcie, navle, wuchan, tieguanyn.

The known words are the synonym dictionary's terms (search.synonyms), the regions' names and the
categories' names, and the pinyin of all of them: the vocabulary of what is sold and where it grows.
A correction never replaces what was typed: the query also runs as corrected, at a lower weight,
and the page offers the corrected query ("你是不是要找：五常大米").
"""

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import has_cjk, to_simplified

__all__ = ["Vocabulary", "correct", "damerau_levenshtein"]

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
MAX_WORD_CHARS = 6  # longest Chinese word looked up
MAX_READINGS = 32  # pinyin readings tried for one span (polyphonic characters multiply them)
MIN_LATIN = 4  # shorter Latin words are too ambiguous to correct
# A region's name is also known without its administrative suffix: 五常市 is 五常 to a shopper.
_REGION_SUFFIXES = ("维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "自治州", "省", "市", "县", "区")


@lru_cache(maxsize=8192)
def _readings(char):
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda c: [[""]])
    return tuple(dict.fromkeys(r for r in (found[0] if found else []) if r)) or ("",)


def readings(text):
    """Toneless pinyin of `text` under every reading of its characters, joined (at most MAX_READINGS)."""
    return ["".join(combo) for combo in itertools.islice(itertools.product(*map(_readings, text)), MAX_READINGS)]


@lru_cache(maxsize=65_536)
def _reading_in_context(word):
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(word, errors=lambda chars: ["" for _ in chars]))


def damerau_levenshtein(a, b, limit=2):
    """Edit distance where a swap of two neighbouring letters is one edit; stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass
class Vocabulary:
    chinese: set = field(default_factory=set)
    by_sound: dict = field(default_factory=dict)  # pinyin -> first known Chinese word with that sound
    latin: dict = field(default_factory=dict)  # first letter -> {word}

    @classmethod
    def of(cls, words):
        vocabulary = cls()
        for word in words:
            word = to_simplified(word.strip().lower())
            if not word:
                continue
            if has_cjk(word):
                for run in _CJK_RUN.findall(word):
                    vocabulary.add_chinese(run)
            for latin in re.findall(r"[a-z]+", word):
                vocabulary.add_latin(latin)
        return vocabulary

    def add_chinese(self, word):
        if len(word) < 2 or word in self.chinese:
            return
        self.chinese.add(word)
        sound = _reading_in_context(word)
        if sound:
            self.by_sound.setdefault(sound, word)
            self.add_latin(sound)
        for suffix in _REGION_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                self.add_chinese(word[: -len(suffix)])
                break

    def add_latin(self, word):
        if len(word) >= MIN_LATIN:
            self.latin.setdefault(word[0], set()).add(word)

    def knows_latin(self, word):
        return word in self.latin.get(word[:1], ())

    def nearest_latin(self, word):
        """The known word closest to `word` (one edit up to 7 letters, two from 8), or None."""
        if len(word) < MIN_LATIN or self.knows_latin(word):
            return None
        limit = 1 if len(word) < 8 else 2
        best = None
        for candidate in sorted(self.latin.get(word[0], ())):
            distance = damerau_levenshtein(word, candidate, limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, candidate)
        return best[1] if best else None

    def correct_run(self, run):
        """A Chinese run with every unknown span that sounds like a known word replaced by it."""
        out, i = [], 0
        while i < len(run):
            for length in range(min(MAX_WORD_CHARS, len(run) - i), 1, -1):
                span = run[i : i + length]
                if span in self.chinese:
                    out.append(span)
                    break
                found = next(
                    (self.by_sound[s] for s in readings(span) if len(self.by_sound.get(s, "")) == length), None
                )
                if found:
                    out.append(found)
                    break
            else:
                length = 1
                out.append(run[i])
            i += length
        return "".join(out)


def correct(query, vocabulary):
    """The query with its slips corrected, or "" when there was nothing to correct."""
    text = to_simplified(query)
    corrected = _CJK_RUN.sub(lambda m: vocabulary.correct_run(m.group()), text)
    corrected = re.sub(r"[A-Za-z]+", lambda m: vocabulary.nearest_latin(m.group().lower()) or m.group(), corrected)
    return corrected if corrected != text else ""
