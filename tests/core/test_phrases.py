"""Phrases: words built without Django and rendered later in the reader's language."""

import json

from hypothesis import given
from hypothesis import strategies as st

from commissioning.kit.phrases import Phrase

WELSH = {"Line {line}: {message}.": "Llinell {line}: {message}.", "male": "gwryw"}


def test_a_phrase_renders_its_parts_in_the_language_given():
    phrase = Phrase(
        "Line {line}: {message}.",
        line=42,
        message=Phrase("{code} is {sex}", code="E0800005", sex=Phrase("male")),
    )
    assert str(phrase) == "Line 42: E0800005 is male."
    # Only templates are translated: the values read from a file are shown as they were.
    assert phrase.render(lambda words: WELSH.get(words, words)) == "Llinell 42: E0800005 is gwryw."


def test_a_broken_translation_falls_back_to_english_rather_than_hiding_the_problem():
    phrase = Phrase("Line {line}", line=3)
    assert phrase.render(lambda words: "Llinell {llinell") == "Line 3"


def test_a_missing_value_shows_as_a_question_mark():
    assert str(Phrase("{column} '{value}'", value="x")) == "? 'x'"


_values = st.one_of(st.integers(), st.text(max_size=20), st.none())
_phrases = st.recursive(
    st.builds(
        lambda template, params: Phrase(template, **params),
        st.text(max_size=30),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), _values, max_size=3),
    ),
    lambda children: st.builds(
        lambda template, params: Phrase(template, **params),
        st.text(max_size=30),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), children, max_size=3),
    ),
    max_leaves=8,
)


@given(_phrases)
def test_a_phrase_kept_as_json_comes_back_the_same(phrase):
    assert Phrase.from_json(json.loads(json.dumps(phrase.to_json()))) == phrase
