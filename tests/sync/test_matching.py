"""Who is who: the stored identity, then the name with what a librarian knows (seed C, SPEC §2)."""

from datetime import date

import pytest

from sesame.sync import FieldChange, MatchedBy, PlanInputError, UpdateOptions, plan_update
from tests.sync.builders import borrower, numbered, person


def only_update(plan):
    assert len(plan.updated) == 1
    return plan.updated[0]


def test_comma_between_name_and_first_name_matches_and_is_corrected():
    # given a borrower typed "Nom, Prénom" and the same pupil in the file
    base = [borrower(1, "DUPONT, Marie", school_class="6eA")]
    people = [person("DUPONT Marie", "ent-1", school_class="5eA")]
    # when the update is planned
    plan = plan_update(people, base)
    # then the borrower is matched on the name alone (ambiguous) and its name is corrected
    update = only_update(plan)
    assert (update.borrower_id, update.matched_by, update.ambiguous) == (1, MatchedBy.NAME, True)
    assert update.changes == (
        FieldChange("name", "DUPONT, Marie", "DUPONT Marie"),
        FieldChange("school_class", "6eA", "5eA"),
        FieldChange("ent_identity", "", "ent-1"),
    )
    assert plan.new == () and plan.counts["ambiguous"] == 1 and plan.counts["updated"] == 1


def test_missing_accents_match():
    base = [borrower(1, "LEFEVRE Chloe", status="Enseignant")]
    plan = plan_update([person("LEFÈVRE Chloé", "ent-2", status="Enseignant")], base)
    update = only_update(plan)
    assert update.changes[0] == FieldChange("name", "LEFEVRE Chloe", "LEFÈVRE Chloé")


@pytest.mark.parametrize(("in_base", "in_file"), [
    ("N DIAYE Awa", "N'DIAYE Awa"),
    ("N'DIAYE Awa", "N’DIAYE Awa"),
    ("MARTIN Jean Baptiste", "MARTIN Jean-Baptiste"),
    ("le gall   yann", "LE GALL Yann"),
])
def test_hyphens_apostrophes_spaces_and_case_match(in_base, in_file):
    plan = plan_update([person(in_file, "ent-3")], [borrower(1, in_base)])
    assert only_update(plan).matched_by == MatchedBy.NAME


def test_same_birth_date_confirms_the_name():
    base = [borrower(1, "PETIT Léo", birth=date(2012, 4, 1), school_class="6eB")]
    plan = plan_update([person("PETIT Léo", "ent-4", birth=date(2012, 4, 1), school_class="5eB")], base)
    update = only_update(plan)
    assert (update.matched_by, update.ambiguous) == (MatchedBy.NAME_AND_BIRTH_DATE, False)
    assert plan.counts["ambiguous"] == 0


def test_homonyms_case_1_two_borrowers_one_person_stop_for_resolution():
    # given two borrowers "DUPONT Marie" in the lot and one in the file, no birth date to separate them
    base = [borrower(1, "DUPONT Marie", in_lot=True), borrower(2, "DUPONT Marie", in_lot=True)]
    people = [person("DUPONT Marie", "ent-1")]
    # when the analysis is planned
    plan = plan_update(people, base)
    # then the homonyms are a conflict; the person would be new and both borrowers are held
    assert [(c.kind, c.borrower_ids, c.ent_identities) for c in plan.conflicts] == [
        ("several_borrowers", (1, 2), ("ent-1",)),
    ]
    assert [entry.person.ent_identity for entry in plan.new] == ["ent-1"]
    assert plan.new[0].reason.startswith("Homonyme non résolu")
    assert plan.held == (1, 2)
    assert plan.deleted == () and plan.updated == ()


def test_homonyms_case_1_resolved():
    base = [borrower(1, "DUPONT Marie", in_lot=True), borrower(2, "DUPONT Marie", in_lot=True)]
    plan = plan_update([person("DUPONT Marie", "ent-1")], base, UpdateOptions(resolutions={"ent-1": 2}))
    update = only_update(plan)
    assert (update.borrower_id, update.matched_by, update.ambiguous) == (2, MatchedBy.RESOLUTION, False)
    assert [removal.borrower_id for removal in plan.deleted] == [1]
    assert plan.conflicts == () and plan.held == () and plan.new == ()


def test_homonyms_case_2_two_people_one_borrower():
    base = [borrower(1, "DUPONT Marie")]
    people = numbered([person("DUPONT Marie", "ent-1"), person("DUPONT Marie", "ent-2")])
    plan = plan_update(people, base)
    assert [(c.kind, c.borrower_ids, c.ent_identities) for c in plan.conflicts] == [
        ("several_people", (1,), ("ent-1", "ent-2")),
    ]
    resolved = plan_update(people, base, UpdateOptions(resolutions={"ent-2": 1}))
    assert [(u.borrower_id, u.person.ent_identity) for u in resolved.updated] == [(1, "ent-2")]
    assert [entry.person.ent_identity for entry in resolved.new] == ["ent-1"]
    assert resolved.conflicts == ()


def test_homonyms_both_sides_are_resolved_by_one_choice():
    # given two "DUPONT Marie" on each side
    base = [borrower(1, "DUPONT Marie", in_lot=True), borrower(2, "DUPONT Marie", in_lot=True)]
    people = numbered([person("DUPONT Marie", "ent-1"), person("DUPONT Marie", "ent-2")])
    assert [c.kind for c in plan_update(people, base).conflicts] == ["both"]
    # when the librarian associates one of them
    plan = plan_update(people, base, UpdateOptions(resolutions={"ent-1": 2}))
    # then the other pair follows, as in BCDI ("la résolution de l'une entraîne … l'autre")
    assert sorted((u.person.ent_identity, u.borrower_id, u.matched_by) for u in plan.updated) == [
        ("ent-1", 2, MatchedBy.RESOLUTION), ("ent-2", 1, MatchedBy.RESOLUTION),
    ]
    assert plan.conflicts == () and plan.new == () and plan.deleted == ()


def test_an_ignored_answer_stops_the_deduction():
    # given two "DUPONT Marie" on each side, and both people associated with the same borrower
    base = [borrower(1, "DUPONT Marie"), borrower(2, "DUPONT Marie")]
    people = numbered([person("DUPONT Marie", "ent-1"), person("DUPONT Marie", "ent-2")])
    plan = plan_update(people, base, UpdateOptions(resolutions={"ent-1": 2, "ent-2": 2}))
    # then the first answer holds and the second person is still to resolve, not paired with the other
    assert [(u.person.ent_identity, u.borrower_id) for u in plan.updated] == [("ent-1", 2)]
    assert [(c.kind, c.borrower_ids, c.ent_identities) for c in plan.conflicts] == [
        ("both", (1,), ("ent-2",)),
    ]


def test_resolution_for_a_new_record_and_resolutions_outside_the_conflict():
    base = [borrower(1, "DUPONT Marie", in_lot=True), borrower(2, "DUPONT Marie", in_lot=True),
            borrower(3, "MOREAU Paul")]
    people = [person("DUPONT Marie", "ent-1")]
    ignored = plan_update(people, base, UpdateOptions(resolutions={"ent-1": 3, "ent-9": 1}))
    assert [c.borrower_ids for c in ignored.conflicts] == [(1, 2)]
    as_new = plan_update(people, base, UpdateOptions(resolutions={"ent-1": None}))
    assert as_new.conflicts == () and as_new.updated == ()
    assert as_new.new[0].reason == "Homonyme : nouvelle fiche, à la demande de la documentaliste."
    assert [removal.borrower_id for removal in as_new.deleted] == [1, 2]


def test_homonym_pupils_are_separated_by_birth_date():
    # given two pupils "BERNARD Emma" in the base, one of whom left
    base = [borrower(1, "BERNARD Emma", birth=date(2011, 5, 2), school_class="5eA", in_lot=True),
            borrower(2, "BERNARD Emma", birth=date(2009, 9, 30), school_class="3eB", in_lot=True)]
    people = [person("BERNARD Emma", "ent-1", birth=date(2011, 5, 2), school_class="4eA")]
    # when planned
    plan = plan_update(people, base)
    # then the birth date pairs the one who stayed, without ambiguity, and the other leaves
    update = only_update(plan)
    assert (update.borrower_id, update.matched_by, update.ambiguous) == (
        1, MatchedBy.NAME_AND_BIRTH_DATE, False,
    )
    assert [removal.borrower_id for removal in plan.deleted] == [2]
    assert plan.conflicts == ()


def test_homonyms_left_one_to_one_by_class_are_matched_but_ambiguous():
    base = [borrower(1, "BERNARD Emma", school_class="5eA"), borrower(2, "BERNARD Emma", school_class="3eB")]
    plan = plan_update([person("BERNARD Emma", "ent-1", school_class="4eA")], base)
    update = only_update(plan)
    assert (update.borrower_id, update.matched_by, update.ambiguous) == (1, MatchedBy.NAME, True)
    assert plan.conflicts == ()


def test_twins_are_never_merged():
    # given twins: same last name, same birth date, different first names
    born = date(2012, 2, 29)
    base = [borrower(1, "MARTIN Léa", birth=born, in_lot=True),
            borrower(2, "MARTIN Lou", birth=born, in_lot=True)]
    both = numbered([person("MARTIN Léa", "ent-1", birth=born), person("MARTIN Lou", "ent-2", birth=born)])
    # when both are in the file, each keeps its own record
    plan = plan_update(both, base)
    pairs = sorted((u.person.ent_identity, u.borrower_id) for u in plan.updated)
    assert pairs == [("ent-1", 1), ("ent-2", 2)]
    # and when only Lou is in the base and only Léa in the file, they are neither matched nor proposed
    alone = plan_update([person("MARTIN Léa", "ent-1", birth=born)], [base[1]])
    assert alone.updated == () and alone.suggestions == ()
    assert [entry.person.ent_identity for entry in alone.new] == ["ent-1"]
    assert [removal.borrower_id for removal in alone.deleted] == [2]


def test_class_going_down_blocks_the_match():
    # given a pupil of 3e last year and a namesake entering 6e
    base = [borrower(1, "ROBERT Hugo", school_class="3eB", in_lot=True)]
    plan = plan_update([person("ROBERT Hugo", "ent-1", school_class="6eA")], base)
    # then they are not matched: a suggestion, the person new, the borrower held meanwhile
    assert plan.updated == ()
    assert [(s.borrower_id, s.ent_identity, s.score, s.reason_code) for s in plan.suggestions] == [
        (1, "ent-1", 80.0, "class_inconsistent"),
    ]
    assert plan.suggestions[0].reason == (
        "Peut-être la même personne : même nom, mais classe incohérente : 3eB l'an dernier, 6eA cette année."
    )
    assert plan.held == (1,) and plan.deleted == ()


def test_teacher_does_not_become_a_pupil():
    base = [borrower(1, "GIRARD Anne", status="Enseignant")]
    plan = plan_update([person("GIRARD Anne", "ent-1", status="Élève", school_class="6eA")], base)
    assert plan.updated == ()
    assert [(s.reason_code, s.reason) for s in plan.suggestions] == [(
        "status_inconsistent",
        "Peut-être la même personne : même nom, mais statut incohérent : Enseignant dans la base, "
        "Élève dans le fichier.",
    )]


def test_different_birth_dates_block_the_match():
    base = [borrower(1, "SIMON Théo", birth=date(2010, 1, 15))]
    plan = plan_update([person("SIMON Théo", "ent-1", birth=date(2011, 6, 3))], base)
    assert plan.updated == ()
    assert [(s.reason_code, s.score) for s in plan.suggestions] == [("birth_date_differs", 80.0)]
    assert "date de naissance différente (15/01/2010 dans la base, 03/06/2011 dans le fichier)" in (
        plan.suggestions[0].reason
    )


def test_identity_first_and_never_rematched_by_name():
    # given a borrower carrying the person's identity, and a homonym borrower without one
    base = [borrower(1, "DURAND Paul", identity="ent-1", in_lot=True),
            borrower(2, "DURAND Paul", in_lot=True)]
    plan = plan_update([person("DURAND Paul", "ent-1")], base)
    # then the identity wins, there is no homonym conflict, the other borrower leaves
    update = only_update(plan)
    assert (update.borrower_id, update.matched_by, update.ambiguous, update.changes) == (
        1, MatchedBy.IDENTITY, False, (),
    )
    assert plan.conflicts == () and plan.suggestions == ()
    assert [removal.borrower_id for removal in plan.deleted] == [2]


def test_identity_match_follows_a_change_of_name():
    base = [borrower(1, "DURAND Paula", identity="ent-1")]
    plan = plan_update([person("MARTIN-DURAND Paula", "ent-1")], base)
    assert only_update(plan).changes == (FieldChange("name", "DURAND Paula", "MARTIN-DURAND Paula"),)


def test_borrower_with_another_identity_is_never_matched_by_name():
    # given a borrower whose stored identity is absent from the file, and a namesake in the file
    base = [borrower(1, "PETIT Léo", identity="old-7", in_lot=True)]
    plan = plan_update([person("PETIT Léo", "new-9")], base)
    # then no automatic match, only a suggestion saying why
    assert plan.updated == ()
    assert [(s.reason_code, s.score) for s in plan.suggestions] == [("identity_differs", 90.0)]
    assert "identité ENT différente" in plan.suggestions[0].reason


def test_one_identity_for_two_people_is_refused():
    people = [person("A B", "ent-1"), person("C D", "ent-1")]
    with pytest.raises(PlanInputError) as refused:
        plan_update(people, [])
    assert refused.value.message == (
        "Plusieurs personnes du fichier ont la même identité ENT (ent-1) : "
        "la mise à jour ne peut pas savoir qui est qui."
    )
