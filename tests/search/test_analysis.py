"""The index's analysers give the same tokens on every engine: the expectations below hold on each pass."""

import pytest

from search import engine
from search.documents import CJK, ENGLISH, PREFIX, PREFIX_SEARCH, WORDS

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def tokens(client, analyzer, text):
    answer = client.indices.analyze(index=engine.alias_name(), body={"analyzer": analyzer, "text": text})
    return [token["token"] for token in answer["tokens"]]


@pytest.mark.parametrize(
    ("analyzer", "text", "expected"),
    [
        # CJK bigrams for recall; full-width Latin folded and lower-cased; a lone CJK character kept.
        (CJK, "五常大米", ["五常", "常大", "大米"]),
        (CJK, "ＷＵＣＨＡＮＧ 大米", ["wuchang", "大米"]),
        (CJK, "米", ["米"]),
        # English stems for Latin words.
        (ENGLISH, "Oranges organically grown", ["orang", "organ", "grown"]),
        # Words segmented in Python at index time arrive space-separated and stay whole.
        (WORDS, "五常 大米 Wuchang", ["五常", "大米", "wuchang"]),
        # Suggest: every prefix of every word at index time, the typed prefix whole at query time.
        (PREFIX, "wcdm 大米", ["w", "wc", "wcd", "wcdm", "大", "大米"]),
        (PREFIX_SEARCH, "WCD", ["wcd"]),
    ],
)
def test_analysers_give_the_same_tokens_on_every_engine(search_engine, analyzer, text, expected):
    """Bigrams, width folding, stemming, whitespace words and edge n-grams are the engine's, and agree."""
    assert tokens(search_engine, analyzer, text) == expected
