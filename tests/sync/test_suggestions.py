"""Suggestions instead of "supprimé + nouveau" (SPEC §2, beyond BCDI), and the librarian's answers."""

from datetime import date

import pytest

from sesame.sync import FieldChange, MatchedBy, UpdateOptions, plan_update
from tests.sync.builders import borrower, numbered, person


def summary(plan):
    return [(s.borrower_id, s.ent_identity, s.score, s.reason_code) for s in plan.suggestions]


def test_typing_slip_in_the_name_is_suggested():
    # given a teacher typed by hand with two letters swapped
    base = [borrower(1, "MARTNI Lucas", status="Enseignant", in_lot=True)]
    plan = plan_update([person("MARTIN Lucas", "ent-1", status="Enseignant")], base)
    # then one suggestion, with its reason, the person would be new and the borrower is held
    assert summary(plan) == [(1, "ent-1", 91.7, "name_slip")]
    assert plan.suggestions[0].reason == (
        "Probablement la même personne : faute de frappe probable dans le nom "
        "(« MARTNI Lucas » dans la base, « MARTIN Lucas » dans le fichier)."
    )
    assert [entry.reason for entry in plan.new] == [
        "Suggestion à examiner : une nouvelle fiche sera créée, sauf si vous l'acceptez.",
    ]
    assert plan.held == (1,) and plan.deleted == ()


def test_swapped_first_and_last_name_is_suggested():
    plan = plan_update([person("MARTIN Lucas", "ent-1")], [borrower(1, "Lucas MARTIN")])
    assert summary(plan) == [(1, "ent-1", 95.0, "swapped")]
    assert "nom et prénom inversés" in plan.suggestions[0].reason


def test_spacing_and_incomplete_first_name_are_suggested():
    base = [borrower(1, "LEGALL Yann"), borrower(2, "DUPONT Marie")]
    people = numbered([person("LE GALL Yann", "ent-1"), person("DUPONT Marie Claire", "ent-2")])
    plan = plan_update(people, base)
    assert summary(plan) == [(2, "ent-2", 85.0, "partial_name"), (1, "ent-1", 95.0, "spacing")]


@pytest.mark.parametrize(("in_base", "in_file"), [
    (date(2011, 3, 12), date(2012, 3, 12)),
    (date(2011, 3, 12), date(2011, 12, 3)),
])
def test_birth_date_slip_is_suggested(in_base, in_file):
    base = [borrower(1, "FAURE Nina", birth=in_base)]
    plan = plan_update([person("FAURE Nina", "ent-1", birth=in_file)], base)
    assert summary(plan) == [(1, "ent-1", 95.0, "birth_date_slip")]
    assert "faute de frappe probable dans la date de naissance" in plan.suggestions[0].reason


def test_names_that_are_not_alike_are_not_suggested():
    # given other first names and other last names, however close their letters
    base = [borrower(1, "MARTIN Emma"), borrower(2, "DUBOIS Lucas"), borrower(3, "DIALLO Ethan"),
            borrower(4, "RIVIÈRE Mohamed")]
    people = numbered([person("MARTIN Anna", "ent-1"), person("DUVAL Lucie", "ent-2"),
                       person("DIALLO Nathan", "ent-3"), person("PIERRE Mohamed", "ent-4")])
    # then nothing is proposed
    assert plan_update(people, base).suggestions == ()


def test_each_person_and_borrower_is_in_one_suggestion_at_most_best_score_first():
    base = [borrower(1, "MARTNI Lucas"), borrower(2, "Lucas MARTIN")]
    plan = plan_update([person("MARTIN Lucas", "ent-1")], base)
    assert summary(plan) == [(2, "ent-1", 95.0, "swapped")]


def test_accepted_suggestion_is_a_match_with_changes():
    # given the librarian accepts the suggested pair
    base = [borrower(1, "MARTNI Lucas", status="Enseignant", in_lot=True)]
    people = [person("MARTIN Lucas", "ent-1", status="Enseignant")]
    plan = plan_update(people, base, UpdateOptions(accepted_suggestions=frozenset({(1, "ent-1")})))
    # then it is a match made by suggestion, and the name is corrected
    assert [(u.borrower_id, u.matched_by, u.ambiguous) for u in plan.updated] == [
        (1, MatchedBy.SUGGESTION, False),
    ]
    assert plan.updated[0].changes == (FieldChange("name", "MARTNI Lucas", "MARTIN Lucas"),
                                       FieldChange("ent_identity", "", "ent-1"))
    assert plan.updated[0].reason.startswith("Suggestion acceptée : faute de frappe probable dans le nom")
    assert plan.new == () and plan.suggestions == () and plan.held == () and plan.deleted == ()


def test_rejected_suggestion_makes_a_new_record_and_the_borrower_follows_the_rules():
    base = [borrower(1, "MARTNI Lucas", in_lot=True)]
    plan = plan_update([person("MARTIN Lucas", "ent-1")], base,
                       UpdateOptions(rejected_suggestions=frozenset({(1, "ent-1")})))
    assert [entry.reason for entry in plan.new] == ["Suggestion refusée : nouvelle fiche."]
    assert [r.borrower_id for r in plan.deleted] == [1]
    assert plan.deleted[0].reason == (
        "Absent du fichier, sans prêt en cours : fiche supprimée (suggestion refusée)."
    )
    assert plan.suggestions == () and plan.held == ()


def test_undecided_suggestion_counts_as_rejected_in_the_final_plan():
    base = [borrower(1, "MARTNI Lucas", in_lot=True, loans=1)]
    plan = plan_update([person("MARTIN Lucas", "ent-1")], base, UpdateOptions(final=True))
    assert [entry.reason for entry in plan.new] == ["Suggestion non retenue : nouvelle fiche."]
    assert [r.borrower_id for r in plan.set_aside] == [1] and plan.held == ()
    assert summary(plan) == [(1, "ent-1", 91.7, "name_slip")]  # still listed for the report


def test_a_lower_floor_shows_weaker_suggestions():
    base = [borrower(1, "ROBERT Hugo", school_class="3eB", birth=date(2009, 1, 1))]
    people = [person("ROBERT Hugo", "ent-1", school_class="6eA", birth=date(2013, 7, 8))]
    assert plan_update(people, base).suggestions == ()
    low = plan_update(people, base, UpdateOptions(suggestion_score_floor=60.0))
    assert [(s.score, s.reason_codes) for s in low.suggestions] == [
        (60.0, ("birth_date_differs", "class_inconsistent")),
    ]
