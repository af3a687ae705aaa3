"""The key of a suggestion: the one text format of a (borrower, person) pair, written and read back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sesame.sync import Suggestion, SuggestionKey, UpdateOptions, plan_update

from .builders import borrower, person


def test_the_key_is_the_borrower_id_then_the_identity():
    key = SuggestionKey(12, "ENT0001")

    assert key.key() == "12:ENT0001"
    assert SuggestionKey.parse("12:ENT0001") == key == (12, "ENT0001")


def test_an_identity_may_hold_a_colon():
    assert SuggestionKey.parse("7:urn:ent:42") == SuggestionKey(7, "urn:ent:42")


@pytest.mark.parametrize("text", ["", "12", "12:", ":ENT", "x:ENT", "-1:ENT", "1.5:ENT", "١٢:ENT", " 12:ENT"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="not a suggestion key"):
        SuggestionKey.parse(text)


@given(st.integers(min_value=0, max_value=10**12), st.text(min_size=1, max_size=30))
def test_parse_reads_back_what_key_writes(borrower_id, identity):
    key = SuggestionKey(borrower_id, identity)

    assert SuggestionKey.parse(key.key()) == key


def test_a_suggestion_gives_its_key_and_the_core_takes_it_as_a_decision():
    suggestion = Suggestion(borrower_id=1, number=1, ent_identity="ent-1", score=95.0, reason_code="slip",
                            reason="")
    assert SuggestionKey.of(suggestion) == SuggestionKey(1, "ent-1")

    existing = [borrower(1, "MARTNI Lucas", in_lot=True)]
    [offered] = plan_update([person("MARTIN Lucas", "ent-1")], existing).suggestions
    accepted = UpdateOptions(accepted_suggestions=frozenset({SuggestionKey.of(offered)}))

    plan = plan_update([person("MARTIN Lucas", "ent-1")], existing, accepted)

    assert [update.borrower_id for update in plan.updated] == [1]
    assert plan.suggestions == ()
