"""An unusual file is stopped until confirmed (SPEC §2; reliability anchors §2.3, item 11)."""

from sesame.sync import UpdateOptions, plan_update
from tests.sync.builders import borrower, person


def school(pupils: int, *, stay: int):
    """A lot of ``pupils`` with stored identities, of whom the ``stay`` first are in the file."""
    base = [borrower(i, f"ELEVE{i:04d} Prénom", identity=f"ent-{i}", in_lot=True)
            for i in range(1, pupils + 1)]
    people = [person(f"ELEVE{i:04d} Prénom", f"ent-{i}", position=i) for i in range(1, stay + 1)]
    return base, people


def test_a_usual_start_of_year_passes():
    base, people = school(600, stay=450)  # a quarter of the pupils leave
    plan = plan_update(people, base)
    assert plan.guards == () and plan.counts["deleted"] == 150


def test_mass_removal_is_stopped_until_confirmed():
    # given a file that would remove 212 of the 500 pupils of the lot
    base, people = school(500, stay=288)
    base[488:] = [borrower(i, f"ELEVE{i:04d} Prénom", identity=f"ent-{i}", in_lot=True, loans=1)
                  for i in range(489, 501)]
    # when planned
    plan = plan_update(people, base)
    # then a blocking guard says so, with the figures
    assert [(g.code, g.confirmed) for g in plan.guards] == [("mass_removal", False)]
    assert plan.guards[0].message == (
        "Ce fichier supprimerait 212 emprunteurs sur 500 du lot (42\u00a0%) : 200 suppressions et 12 mises "
        "à l'écart. C'est plus que d'habitude (au-delà de 40\u00a0% du lot) : vérifiez le fichier et "
        "l'équation « Emprunteurs à mettre à jour » avant de confirmer."
    )
    assert plan.blocking_guards == plan.guards
    # and once confirmed it no longer blocks
    confirmed = plan_update(people, base, UpdateOptions(confirmed_guards=frozenset({"mass_removal"})))
    assert [(g.code, g.confirmed) for g in confirmed.guards] == [("mass_removal", True)]
    assert confirmed.blocking_guards == ()


def test_small_lots_need_more_than_the_floor_of_removals():
    base, people = school(30, stay=10)  # 20 removed: 67 %, but not more than 20
    assert plan_update(people, base).guards == ()
    assert [g.code for g in plan_update(people[:9], base).guards] == ["mass_removal"]


def test_a_file_of_another_school_is_stopped():
    # given a base of 20 borrowers and a file where only 1 of 10 people is known
    base, _ = school(20, stay=0)
    base = [b.__class__(**{**b.__dict__, "in_lot": False}) for b in base]
    people = [person("ELEVE0001 Prénom", "ent-1", position=1)] + [
        person(f"AUTRE{i} Personne", f"other-{i}", position=i) for i in range(2, 11)
    ]
    plan = plan_update(people, base)
    assert [(g.code, g.confirmed) for g in plan.guards] == [("low_match", False)]
    assert plan.guards[0].message == (
        "Seulement 1 personne du fichier sur 10 (10\u00a0%) correspond à un emprunteur de la base "
        "(20 emprunteurs). Est-ce bien le fichier de cet établissement ? Vérifiez-le avant de confirmer."
    )
    confirmed = plan_update(people, base, UpdateOptions(confirmed_guards=frozenset({"low_match"})))
    assert confirmed.blocking_guards == ()


def test_a_first_update_of_a_small_base_is_not_stopped():
    base, _ = school(19, stay=0)
    plan = plan_update([person("NOUVEAU Né", "n-1")], base)
    assert plan.guards == ()
