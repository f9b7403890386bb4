"""Unit tests for the shared Chinese-aware text analysis in search.text."""

from search.text import has_cjk, pinyin_forms, segment, segmented, to_simplified


def test_search_cut_of_a_product_name_gives_its_words_and_the_whole_name():
    """五常大米 is indexed as 五常, 大米 and 五常大米, so a query for any of them matches."""
    tokens = segment("五常大米")
    assert "五常" in tokens
    assert "大米" in tokens
    assert "五常大米" in tokens


def test_query_cut_is_a_subset_of_the_index_cut():
    """Every query token of a text is among its index tokens, so required terms still match."""
    text = "中华人民共和国黑龙江五常大米新米上市，绿色食品认证"
    assert set(segment(text, for_query=True)) <= set(segment(text))
    assert segment("五常大米", for_query=True) == ["五常", "大米"]


def test_pinyin_forms_of_a_product_name():
    """五常大米 gives full pinyin, per-word pinyin and initials, all toneless ASCII."""
    assert pinyin_forms("五常大米") == {"full": "wuchangdami", "words": "wuchang dami", "initials": "wcdm"}


def test_pinyin_uses_context_for_characters_with_two_readings():
    """重庆 reads chongqing, not zhongqing, and 绿 gives lv (typeable) rather than lü."""
    assert pinyin_forms("重庆")["full"] == "chongqing"
    assert pinyin_forms("绿色")["full"] == "lvse"


def test_traditional_characters_become_simplified():
    """臍橙 becomes 脐橙, both directly and inside segmentation and pinyin."""
    assert to_simplified("臍橙") == "脐橙"
    assert segment("臍橙") == segment("脐橙")
    assert pinyin_forms("五常大米") == pinyin_forms("五常大米")
    assert to_simplified("Wuchang rice") == "Wuchang rice"


def test_mixed_chinese_and_english_keeps_lowercase_latin_words():
    """Latin words come through lowercased beside the Chinese words; pinyin covers only the Chinese."""
    tokens = segment("五常大米 Wuchang rice")
    assert {"五常", "大米", "wuchang", "rice"} <= set(tokens)
    assert pinyin_forms("五常大米 Wuchang rice")["initials"] == "wcdm"


def test_full_width_letters_and_punctuation_are_normalised():
    """Full-width input folds to ASCII and punctuation (Chinese or ASCII) is dropped."""
    assert segment("Ｗｕｃｈａｎｇ，（黑龙江）rice-cooker!") == ["wuchang", "龙江", "黑龙江", "rice", "cooker"]


def test_empty_and_punctuation_only_text_give_no_tokens():
    """Empty, whitespace and punctuation-only strings give empty results, not errors."""
    for text in ["", "   ", "！？。，、……——“”《》", '"\\:(*) -']:
        assert segment(text) == []
        assert segmented(text, for_query=True) == ""
        assert pinyin_forms(text) == {"full": "", "words": "", "initials": ""}
    assert not has_cjk("")
    assert to_simplified("") == ""


def test_ten_thousand_characters_are_handled():
    """A 10,000-character mixed text segments and converts to pinyin without error."""
    text = ("黑龙江五常大米 Wuchang rice 新米上市，欢迎选购！" * 400)[:10_000]
    tokens = segment(text)
    assert "大米" in tokens and "rice" in tokens
    assert " " not in "".join(tokens)
    assert pinyin_forms(text)["initials"].startswith("hljwcdm")


def test_segmented_joins_tokens_with_single_spaces():
    """segmented() is segment() joined by spaces, the form a whitespace-splitting index wants."""
    assert segmented("五常大米 Wuchang") == "五常 大米 五常大米 wuchang"
    assert segmented("五常大米", for_query=True) == "五常 大米"


def test_inner_words_of_a_name_have_their_own_pinyin_and_initials():
    """明前西湖龙井 also gives xihulongjing and xhlj, so typing the middle of the name finds it."""
    forms = pinyin_forms("明前西湖龙井")
    assert forms["full"].split() == ["mingqianxihulongjing", "mingqianxihu", "xihulongjing"]
    assert forms["initials"].split() == ["mqxhlj", "mqxh", "xhlj"]
