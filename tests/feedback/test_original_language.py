"""Buyers' words stay as written and say their language: Chinese reviews on an English page are marked lang="zh-Hans"."""

import re

import pytest
from bs4 import BeautifulSoup

from tests import factories

from .conftest import answer, question_on, review_on

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def unmarked_han(soup):
    """Chinese text in `soup` outside elements marked lang="zh-…"."""
    for element in soup.find_all(lang=re.compile(r"^zh", re.IGNORECASE)):
        element.decompose()
    return [text.strip() for text in soup.find_all(string=HAN) if text.strip()]


def test_chinese_reviews_answers_and_questions_are_marked_and_labelled_on_the_english_page(client, product):
    """On the English product the Chinese review, its answer and a question sit in lang="zh-Hans", labelled "in Chinese"."""
    review = review_on(product)
    answer(review)
    answer(question_on(product))
    factories.make_english_translation(product.get_parent().specific, title="Wuchang Daoxiang")
    english = factories.make_english_translation(product, title="Wuchang rice")
    soup = BeautifulSoup(client.get(english.url).content.decode(), "html.parser")
    reviews = soup.select_one("section.feedback-reviews")
    marked = [element.get_text() for element in reviews.select('[lang="zh-Hans"]')]
    assert "米粒饱满，煮饭很香。" in marked and "谢谢支持！" in marked and "王女士" in marked
    assert len(reviews.select(".lang-label")) == 2  # the review's body and the brand's answer
    questions = soup.select_one(".feedback-question")
    assert questions.select_one('[lang="zh-Hans"]').get_text() == "保质期多久？"
    assert unmarked_han(reviews) == []


def test_the_chinese_page_marks_nothing(client, product):
    """On the Chinese product the same review is plain text: it is in the page's own language."""
    review_on(product)
    reviews = BeautifulSoup(client.get(product.url).content.decode(), "html.parser").select_one(
        "section.feedback-reviews"
    )
    assert "米粒饱满，煮饭很香。" in reviews.get_text()
    assert not reviews.select("[lang]") and not reviews.select(".lang-label")
