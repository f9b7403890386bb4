"""The editors' translation of buyers' words: beside the original for readers of the other language, never instead."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from feedback.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Answer, Status
from tests import factories
from tests.admin_forms import form_errors

from .conftest import answer, question_on, review_on

pytestmark = pytest.mark.django_db

REVIEW_EN = "Plump grains; the rice smells wonderful when it cooks."
TITLE_EN = "Very tasty"
REPLY_EN = "Thank you for your support!"
QUESTION_EN = "How long does it keep?"


@pytest.fixture
def translated_feedback(product):
    """A Chinese review and question on `product`, each answered, all four with the editors' English."""
    review = review_on(product, title_translation=TITLE_EN, body_translation=REVIEW_EN)
    answer(review, body_translation=REPLY_EN)
    question = question_on(product, body_translation=QUESTION_EN)
    answer(question, body="十二个月。", body_translation="Twelve months.")
    return review, question


@pytest.fixture
def english_product(product):
    factories.make_english_translation(product.get_parent().specific, title="Wuchang Daoxiang")
    return factories.make_english_translation(product, title="Wuchang rice")


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


# Where each kind of words sits on the product page, its original, and the editors' English of it.
PLACES = {
    "review": ("section.feedback-reviews .feedback-item", "米粒饱满，煮饭很香。", REVIEW_EN),
    "answer to a review": ("section.feedback-reviews .feedback-answer", "谢谢支持！", REPLY_EN),
    "question": ("section.feedback-questions .feedback-item", "保质期多久？", QUESTION_EN),
    "answer to a question": ("section.feedback-questions .feedback-answer", "十二个月。", "Twelve months."),
}


@pytest.mark.parametrize("kind", PLACES)
def test_the_english_page_shows_the_original_marked_chinese_and_the_translation_marked_english(
    client, translated_feedback, english_product, kind
):
    """Under /en/ the words stay in Chinese (lang="zh-Hans") and the editors' English follows, lang="en", labelled."""
    selector, original, english = PLACES[kind]
    item = soup_of(client, english_product.url).select_one(selector)
    own = item.find_all(class_="translation", recursive=False)  # not the nested answer's
    assert len(own) == 1, item
    translation = own[0]
    assert translation["lang"] == "en"
    assert english in translation.get_text()
    assert translation.select_one(".lang-label").get_text() == "Translated by the editors"
    assert original in [e.get_text() for e in item.select('[lang="zh-Hans"]')], "the original stays, marked"
    # Beside, not instead: the original comes first.
    text = item.get_text()
    assert text.index(original) < text.index(english)


def test_the_review_title_translation_leads_the_reviews_translation(client, translated_feedback, english_product):
    """The translated title is the translation's bold first words; the heading keeps the buyer's title."""
    item = soup_of(client, english_product.url).select_one("section.feedback-reviews .feedback-item")
    assert item.select_one(".translation > strong").get_text() == TITLE_EN
    assert "很好吃" in item.select_one("h3").get_text() and TITLE_EN not in item.select_one("h3").get_text()


def test_the_chinese_page_shows_no_translation_of_chinese_words(client, translated_feedback, product):
    """The Chinese reader reads the original: no translation, no English, nothing marked."""
    html = client.get(product.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select(".translation")
    for english in (REVIEW_EN, TITLE_EN, REPLY_EN, QUESTION_EN, "Twelve months."):
        assert english not in html


def test_an_english_review_gets_its_chinese_translation_on_the_chinese_page_only(client, product, english_product):
    """The other direction: words written in English show the editors' Chinese to Chinese readers, lang="zh-Hans"."""
    review_on(
        product, title="Great rice", body="Cooks soft and smells of rice flowers.", body_translation="煮出来软糯。"
    )
    translation = soup_of(client, product.url).select_one("section.feedback-reviews .translation")
    assert translation["lang"] == "zh-Hans" and "煮出来软糯。" in translation.get_text()
    assert not soup_of(client, english_product.url).select("section.feedback-reviews .translation")


def test_a_moderator_adds_the_translations_in_the_moderation_form(client, product, brand_editor):
    """The review's, its answer's translations are fields of the form that approves and answers it."""
    review = review_on(product, status=Status.PENDING)
    client.force_login(brand_editor)
    response = client.post(
        reverse("wagtailsnippets_feedback_review:edit", args=[review.pk]),
        {
            "status": Status.APPROVED,
            "rejection_reason": "",
            "answer": "谢谢支持！",
            "answer_translation": REPLY_EN,
            "title_translation": TITLE_EN,
            "body_translation": REVIEW_EN,
        },
    )
    assert response.status_code == 302, form_errors(response)
    review.refresh_from_db()
    assert (review.title, review.body) == ("很好吃", "米粒饱满，煮饭很香。"), "the buyer's words never change"
    assert (review.title_translation, review.body_translation) == (TITLE_EN, REVIEW_EN)
    assert (review.answer.body, review.answer.body_translation) == ("谢谢支持！", REPLY_EN)


def test_a_question_and_its_answer_take_translations_and_rewording_one_keeps_the_answer_time(
    client, product, brand_editor
):
    """Translating an existing answer later saves it without moving its answered_at (the response-time figure)."""
    question = question_on(product)
    first = answer(question)
    client.force_login(brand_editor)
    response = client.post(
        reverse("wagtailsnippets_feedback_question:edit", args=[question.pk]),
        {
            "status": Status.APPROVED,
            "rejection_reason": "",
            "answer": first.body,
            "answer_translation": REPLY_EN,
            "body_translation": QUESTION_EN,
        },
    )
    assert response.status_code == 302, form_errors(response)
    question.refresh_from_db()
    assert question.body_translation == QUESTION_EN
    saved = Answer.objects.get(pk=first.pk)
    assert saved.body_translation == REPLY_EN and saved.answered_at == first.answered_at


def test_over_long_translations_are_field_errors_not_a_500(client, product, brand_editor):
    """A translation longer than its original may be is refused on its own field, and nothing is saved."""
    review = review_on(product)
    client.force_login(brand_editor)
    response = client.post(
        reverse("wagtailsnippets_feedback_review:edit", args=[review.pk]),
        {
            "status": Status.APPROVED,
            "rejection_reason": "",
            "answer": "谢谢支持！",
            "answer_translation": "x" * (BODY_MAX_LENGTH + 1),
            "title_translation": "x" * (TITLE_MAX_LENGTH + 1),
            "body_translation": "x" * (BODY_MAX_LENGTH + 1),
        },
    )
    errors = form_errors(response)
    assert {"answer_translation", "title_translation", "body_translation"} <= set(errors), errors
    review.refresh_from_db()
    assert review.title_translation == "" and not Answer.objects.exists()


def test_a_translation_without_an_answer_is_refused_on_its_field(client, product, brand_editor):
    """An answer's translation needs the answer: the error says so on the translation's field."""
    review = review_on(product)
    client.force_login(brand_editor)
    response = client.post(
        reverse("wagtailsnippets_feedback_review:edit", args=[review.pk]),
        {"status": Status.APPROVED, "rejection_reason": "", "answer": "", "answer_translation": REPLY_EN},
    )
    assert "answer_translation" in form_errors(response)
    assert not Answer.objects.exists()
