"""The four groups of BCDI's analysis and what each does to the base (seed C, SPEC §2)."""

from datetime import date

from sesame.sync import (
    FieldChange,
    MatchedBy,
    UpdateOptions,
    apply_plan_in_memory,
    plan_update,
)
from tests.sync.builders import borrower, numbered, person


def ids(removals):
    return [removal.borrower_id for removal in removals]


def test_pupils_who_left_are_deleted_or_set_aside_when_they_have_loans():
    # given two pupils of the lot absent from the file, one with two loans still out
    base = [borrower(1, "LEROY Jade", in_lot=True), borrower(2, "MOREAU Tom", in_lot=True, loans=2)]
    # when planned
    plan = plan_update([], base)
    # then the one without loans is deleted, the other set aside with its loans counted
    assert ids(plan.deleted) == [1] and ids(plan.set_aside) == [2]
    assert plan.deleted[0].reason == "Absent du fichier, sans prêt en cours : fiche supprimée."
    assert plan.set_aside[0].reason == "Absent du fichier, avec 2 prêts en cours : devient usager temporaire."
    assert plan.to_json()["set_aside"] == [{"borrower_number": 2, "open_loans": 2}]
    after = apply_plan_in_memory(base, plan)
    assert [(b.borrower_id, b.borrower_type) for b in after] == [(2, "Usager temporaire")]


def test_a_borrower_already_set_aside_is_not_set_aside_again():
    base = [borrower(1, "MOREAU Tom", in_lot=True, loans=1, borrower_type="Usager temporaire")]
    plan = plan_update([], base)
    assert plan.set_aside == () and plan.deleted == () and plan.is_noop


def test_a_temporary_user_whose_loans_are_back_is_deleted():
    base = [borrower(1, "MOREAU Tom", in_lot=True, loans=0, borrower_type="Usager temporaire")]
    assert ids(plan_update([], base).deleted) == [1]


def test_teacher_absent_from_the_file_is_untouched_when_the_lot_is_the_pupils():
    # given the lot "Statut=Elève": the teacher is not in it
    base = [borrower(1, "FAURE Luc", status="Enseignant", in_lot=False),
            borrower(2, "BLANC Inès", status="Elève", in_lot=True)]
    plan = plan_update([], base)
    assert ids(plan.deleted) == [2]
    assert 1 not in ids(plan.deleted) + ids(plan.set_aside) + list(plan.held)


def test_mid_year_run_without_a_lot_deletes_nobody():
    # given no "Emprunteurs à mettre à jour" expression: nobody is in the lot
    base = [borrower(1, "LEROY Jade"), borrower(2, "MOREAU Tom", loans=1), borrower(3, "GARCIA Eva")]
    people = [person("GARCIA Eva", "ent-3"), person("NOUVEAU Arrivé", "ent-9")]
    plan = plan_update(people, base)
    assert plan.deleted == () and plan.set_aside == ()
    assert [entry.person.ent_identity for entry in plan.new] == ["ent-9"]


def test_second_run_of_the_same_file_changes_nothing():
    # given a first update carried out
    base = [borrower(1, "DUPONT, Marie", school_class="6eA", in_lot=True),
            borrower(2, "LEFEVRE Chloe", status="Enseignant"),
            borrower(3, "PARTI Jean", in_lot=True, loans=1),
            borrower(4, "SORTI Paul", in_lot=True)]
    people = numbered([person("DUPONT Marie", "ent-1", school_class="5eA", birth=date(2012, 1, 3)),
                       person("LEFÈVRE Chloé", "ent-2", status="Enseignant", email="c.lefevre@ac.fr"),
                       person("ARRIVÉE Zoé", "ent-3", school_class="6eB")])
    first = plan_update(people, base, UpdateOptions(final=True))
    assert first.counts == {"new": 1, "updated": 2, "ambiguous": 2, "deleted": 1, "set_aside": 1,
                            "conflicts": 0, "suggestions": 0}
    after = apply_plan_in_memory(base, first)
    # when the same file is planned again
    second = plan_update(people, after)
    # then everybody is found by identity, nobody is ambiguous, nothing changes
    assert second.is_noop
    assert {(u.matched_by, u.ambiguous) for u in second.updated} == {(MatchedBy.IDENTITY, False)}
    assert len(second.updated) == len(people)


def test_the_file_updates_the_fields_but_an_empty_value_never_wipes_one():
    base = [borrower(1, "ROUX Léna", school_class="5eC", email="lena@example.org", birth=date(2011, 2, 3))]
    plan = plan_update([person("ROUX Léna", "ent-1", school_class="", email="")], base)
    assert plan.updated[0].changes == (FieldChange("ent_identity", "", "ent-1"),)
    # and a date in the file replaces none in the base
    dated = plan_update([person("ROUX Léna", "ent-1", birth=date(2011, 2, 3))],
                        [borrower(1, "ROUX Léna")])
    assert FieldChange("birth_date", "", "03/02/2011") in dated.updated[0].changes


def test_status_spelling_of_the_base_is_kept():
    # given a base that writes "Eleve" and a file that writes "Élève"
    base = [borrower(1, "VIDAL Noé", status="Eleve"), borrower(2, "VIDAL Ana", status="Eleve")]
    people = numbered([person("VIDAL Noé", "ent-1", status="Élève"),
                       person("ROCHE Max", "ent-2", status="Élève")])
    plan = plan_update(people, base)
    # then the matched borrower keeps "Eleve" and the new one takes it too
    assert plan.updated[0].changes == (FieldChange("ent_identity", "", "ent-1"),)
    assert [(entry.person.ent_identity, entry.status) for entry in plan.new] == [("ent-2", "Eleve")]


def test_status_of_another_category_takes_the_file_or_the_base_spelling():
    base = [borrower(1, "ABADIE Rémi", status="Personnel"), borrower(2, "NOIR Léon", status="Professeur")]
    plan = plan_update([person("ABADIE Rémi", "ent-1", status="Enseignant")], base)
    assert FieldChange("status", "Personnel", "Professeur") in plan.updated[0].changes
    alone = plan_update([person("ABADIE Rémi", "ent-1", status="Enseignant")], base[:1])
    assert FieldChange("status", "Personnel", "Enseignant") in alone.updated[0].changes


def test_a_temporary_user_back_in_the_file_is_a_regular_borrower_again():
    base = [borrower(1, "MOREAU Tom", identity="ent-1", loans=1, borrower_type="Usager temporaire")]
    plan = plan_update([person("MOREAU Tom", "ent-1")], base)
    assert plan.updated[0].changes == (FieldChange("borrower_type", "Usager temporaire", "Usager"),)
    assert plan.updated[0].reason == "Même identité ENT. De nouveau dans le fichier : redevient usager."


def test_final_plan_leaves_unresolved_homonyms_as_bcdi_does():
    # given an unresolved case 1 conflict whose borrowers are in the lot, one with a loan
    base = [borrower(1, "DUPONT Marie", in_lot=True), borrower(2, "DUPONT Marie", in_lot=True, loans=1)]
    people = [person("DUPONT Marie", "ent-1")]
    # when the plan to import is made
    plan = plan_update(people, base, UpdateOptions(final=True))
    # then the person is a new record, the borrowers follow the lot's rules, nothing is held
    assert [entry.person.ent_identity for entry in plan.new] == ["ent-1"]
    assert ids(plan.deleted) == [1] and ids(plan.set_aside) == [2] and plan.held == ()
    assert plan.deleted[0].reason == (
        "Absent du fichier, sans prêt en cours : fiche supprimée (homonyme non résolu)."
    )
    assert [c.borrower_ids for c in plan.conflicts] == [(1, 2)]


def test_new_borrowers_get_the_next_numbers_in_plan_order():
    base = [borrower(7, "ZOLA Émile", number=41)]
    people = numbered([person("BERT Zoé", "ent-2"), person("ALBERT Ali", "ent-1")])
    plan = plan_update(people, base)
    after = apply_plan_in_memory(base, plan)
    assert [(b.borrower_id, b.number, b.name, b.ent_identity) for b in after[1:]] == [
        (8, 42, "ALBERT Ali", "ent-1"), (9, 43, "BERT Zoé", "ent-2"),
    ]
    assert [b.number for b in apply_plan_in_memory(base, plan, first_new_number=100)[1:]] == [100, 101]


def test_counts_and_json_of_an_analysis():
    base = [borrower(1, "DUPONT Marie"), borrower(2, "GONE Jim", in_lot=True),
            borrower(3, "SAME Sam", identity="ent-3")]
    people = numbered([person("DUPONT Marie", "ent-1"), person("NEW Ned", "ent-2"),
                       person("SAME Sam", "ent-3")])
    plan = plan_update(people, base)
    assert plan.counts == {"new": 1, "updated": 1, "ambiguous": 1, "deleted": 1, "set_aside": 0,
                           "conflicts": 0, "suggestions": 0}
    assert [u.borrower_id for u in plan.unchanged] == [3]
    assert plan.to_json() == {
        "counts": plan.counts,
        "new": [{"ent_identity": "ent-2", "name": "NEW Ned"}],
        "updated": [{"borrower_number": 1, "ent_identity": "ent-1", "matched_by": "name", "ambiguous": True,
                     "changes": {"ent_identity": {"old": "", "new": "ent-1"}}}],
        "deleted": [{"borrower_number": 2}],
        "set_aside": [],
        "conflicts": [],
        "suggestions": [],
    }
