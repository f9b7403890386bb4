"""Synonyms applied on the query side, the same way for the engine and the database fallback.

A query's words are looked up in the dictionary editors keep (search.models.Synonym, seeded from
search/data/synonyms.txt by `manage.py load_synonyms`): each word or phrase with synonyms becomes a
group of alternatives, any one of which may match. Nothing is written into the index, so a group an
editor saves applies to the next search, with the engine or without it, and no rebuild is needed.

Groups are of two kinds. Equivalents (土豆, 马铃薯, 洋芋, potato) all find each other. A one-way
group also names narrower words (水果 => 苹果, 脐橙): a search for the broader word finds them, but
a narrower word never pulls in the broader one or its siblings (苹果 does not find oranges).

Every process keeps the compiled dictionary in memory and checks a version number in the shared
cache on each use; saving or deleting a group bumps the version (search.signals), so every process
reloads it on its next search. A process whose cache is not shared reloads at most MAX_AGE later.
"""

import secrets
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from wagtail.models import Page

from brands.models import FarmBrandPage, ProductPage

from . import labels, spelling
from .models import Synonym, terms_of
from .text import segment

TITLED_MODELS = (FarmBrandPage, ProductPage)

__all__ = ["Expansion", "dictionary_file", "expand", "forget", "parse_dictionary"]

VERSION_KEY = "farmcast:search:synonyms:version"
TITLE_WORDS_KEY = "farmcast:search:title-words"
TITLE_WORDS_SECONDS = 600
# A process whose cache is not shared with the others sees their edits this late; with a shared
# cache (production's file or Redis cache, or one development server) the version says it at once.
MAX_AGE = 60.0
# A query phrase is looked up up to this many words long (sweet potato, 中华 绒螯蟹).
MAX_PHRASE_WORDS = 4
# An alternative of a synonym counts a little less than the word typed; a narrower word less again.
EQUIVALENT_WEIGHT = 0.8
NARROWER_WEIGHT = 0.7
# Alternatives per query word, and for the whole query, at most: every alternative is a few clauses
# of the engine's query (which refuses more than 1024) and of the database's.
MAX_ALTERNATIVES = 12
MAX_EXPANDED_ALTERNATIVES = 48
MAX_QUERY_WORDS = 32


def dictionary_file():
    return Path(__file__).resolve().parent / "data" / "synonyms.txt"


def parse_dictionary(text):
    """[(terms, narrower, note)] from the dictionary file's lines (its header says the format)."""
    groups, note = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("##"):
            note = line.lstrip("#").strip()
            continue
        if not line or line.startswith("#"):
            continue
        left, _, right = line.partition("=>")
        terms = terms_of(left)
        if terms:
            groups.append((terms, terms_of(right), note))
    return groups


def _key(term):
    """A term as a query's words come out of search.text: simplified, lowercase, segmented."""
    return tuple(segment(term, for_query=True))


@dataclass
class Dictionary:
    # term key -> {alternative text: weight}
    alternatives: dict = field(default_factory=dict)
    # compact Chinese term (no spaces) -> key, to find a term inside a run jieba cut differently
    compact: dict = field(default_factory=dict)
    longest: int = 1
    # every term, and the other words the trade uses (regions, categories): what slips are corrected to
    words: list = field(default_factory=list)
    _vocabulary: spelling.Vocabulary = None

    @property
    def vocabulary(self):
        if self._vocabulary is None:
            self._vocabulary = _vocabulary_of(tuple(self.words))
        return self._vocabulary

    def add(self, term, alternatives):
        key = _key(term)
        if not key:
            return
        found = self.alternatives.setdefault(key, {})
        for text, weight in alternatives:
            if _key(text) != key and weight > found.get(text, 0):
                found[text] = weight
        self.longest = max(self.longest, len(key))
        self.compact.setdefault("".join(key), key)
        self.words.append(term)


@lru_cache(maxsize=2)
def _vocabulary_of(words):
    # A reload (a synonym saved, or MAX_AGE passed) mostly finds the same words: reading thousands of
    # titles' pinyin again would be a pause in some shopper's search.
    return spelling.Vocabulary.of(words)


def compile_groups(groups, other_words=()):
    """A Dictionary from (terms, narrower) pairs; `other_words` are only known, for correcting slips."""
    dictionary = Dictionary()
    for terms, narrower in groups:
        for term in terms:
            alternatives = [(other, EQUIVALENT_WEIGHT) for other in terms if other != term]
            alternatives += [(word, NARROWER_WEIGHT) for word in narrower]
            dictionary.add(term, alternatives)
        dictionary.words.extend(narrower)
    dictionary.words.extend(other_words)
    return dictionary


def _trade_words():
    """Names of regions and categories in both languages (cached tables, see search.labels), and the
    words of brand and product titles, so a slip in a name (五长 for 五常) is corrected too."""
    tables = labels.snippets()
    words = []
    for region in tables["region"]:
        words += [region.name, region.name_en or "", region.slug]
    for category in tables["category"]:
        words += [category.name, category.name_en or ""]
    return [w for w in words if w] + title_words()


def title_words():
    """The Chinese words (two characters or more) and English words of live brand and product titles.

    Read from the database at most every TITLE_WORDS_SECONDS (shared cache): a new product's name is
    corrected to a little later, and a catalogue of thousands of products costs one query per period.
    """
    words = cache.get(TITLE_WORDS_KEY)
    if words is None:
        found = set()
        titles = Page.objects.live().type(*TITLED_MODELS).values_list("title", flat=True)
        for title in titles.iterator(chunk_size=2000):
            found.update(word for word in segment(title, for_query=True) if len(word) >= 2)
        words = sorted(found)
        cache.set(TITLE_WORDS_KEY, words, TITLE_WORDS_SECONDS)
    return words


_local = threading.local()  # per thread: (version, loaded at, Dictionary)


def _load():
    return compile_groups(((s.term_list(), s.narrower_list()) for s in Synonym.objects.all()), _trade_words())


def current():
    """The dictionary as editors left it: reloaded when the shared version changed or MAX_AGE passed."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY) or version
    held = getattr(_local, "held", None)
    now = time.monotonic()
    if held is None or held[0] != version or now - held[1] > MAX_AGE:
        held = (version, now, _load())
        _local.held = held
    return held[2]


def forget(**kwargs):
    """After a group is saved or deleted: every process reloads on its next search."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    cache.delete(TITLE_WORDS_KEY)


@dataclass
class Group:
    """One word or phrase of the query and what else may stand for it: [(text, weight)], the typed text first."""

    alternatives: list

    @property
    def text(self):
        return self.alternatives[0][0]

    @property
    def expanded(self):
        return len(self.alternatives) > 1


@dataclass
class Expansion:
    words: list  # the query's words (search.text.segment, query mode)
    groups: list  # [Group], in query order; together they cover every word once
    # The query with its typing slips corrected (search.spelling), and its own expansion, or "" and None.
    corrected_text: str = ""
    corrected: "Expansion" = None

    @property
    def expanded(self):
        return any(g.expanded for g in self.groups)

    def alternatives_text(self):
        """Every alternative that is not a typed word, for fields matched by text (bigrams, English)."""
        return [text for g in self.groups for text, _ in g.alternatives[1:]]


def expand(query, dictionary=None, *, correct=True):
    """The query's words, grouped with their synonyms, and the same for the query with its slips corrected."""
    dictionary = dictionary or current()
    expansion = _expand(query, dictionary)
    if correct:
        fixed = spelling.correct(query, dictionary.vocabulary)
        if fixed:
            expansion.corrected_text = fixed
            expansion.corrected = _expand(fixed, dictionary)
    return expansion


def _expand(query, dictionary):
    """The longest dictionary phrase wins at each place of the query."""
    words = segment(query, for_query=True)[:MAX_QUERY_WORDS]
    budget = MAX_EXPANDED_ALTERNATIVES
    groups, position = [], 0
    while position < len(words):
        found = None
        for length in range(min(dictionary.longest, MAX_PHRASE_WORDS, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            alternatives = dictionary.alternatives.get(key)
            if alternatives is None and length == 1:
                alternatives = _inside_a_word(words[position], dictionary)
            if alternatives:
                found = (length, key, alternatives)
                break
        if found and budget > 0:
            length, key, alternatives = found
            typed = " ".join(key)
            ranked = sorted(alternatives.items(), key=lambda item: -item[1])[: min(MAX_ALTERNATIVES, budget)]
            budget -= len(ranked)
            groups.append(Group([(typed, 1.0), *ranked]))
            position += length
        else:
            groups.append(Group([(words[position], 1.0)]))
            position += 1
    return Expansion(words=words, groups=groups)


def _inside_a_word(word, dictionary):
    """Synonyms of a dictionary term that ends a longer Chinese word (大米 in 东北大米, 橙 in 赣南橙).

    Chinese names put the kind of product last, so the term standing at the end is what the shopper
    means; the word's other characters (the place, the variety) stay required as typed.
    """
    if len(word) < 3 or not ("\u4e00" <= word[0] <= "\u9fff"):
        return None
    for start in range(1, len(word) - 1):
        key = dictionary.compact.get(word[start:])
        if key:
            head = word[:start]
            return {f"{head} {text}": weight for text, weight in dictionary.alternatives[key].items()}
    return None
