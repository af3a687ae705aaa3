"""The demo CDI (``seed_demo_library``): last year's base, built from this year's ENT users file.

``make demo`` runs seed_demo, ent_export_esidoc, then seed_demo_library; the tests do the same in
process. What matters is that the demo's first update (lot ``Statut=Elève``) has every group of
seed C to show: nouveaux, mis à jour with ambigus, supprimés, mis à l'écart, a homonym window and
suggestions; and that the base looks typed by hand, is the same on every run, and is never
rebuilt over a librarian's work.
"""

import itertools
import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from sesame.interop.fiches_xml import Status, UserRecord, read_fiches, write_fiches
from sesame.library.borrowers.expressions import parse_expression
from sesame.library.demo.base import EVERYDAY_PUPIL, LIBRARY_NAME, demo_base
from sesame.library.models import Borrower, Copy, CopyStatus, Librarian, Library, Loan, Record
from sesame.library.update.snapshot import borrower_snapshot
from sesame.library.update.users_file import users_file_read
from sesame.sync import UpdateOptions, plan_update
from sesame.sync.normalize import name_key

UAI = "9990001X"
TODAY = date(2026, 9, 14)


@pytest.fixture(scope="module")
def export_path(django_db_setup, django_db_blocker, tmp_path_factory):
    """This year's users file of the ENT demo, built once for the module and rolled back."""
    path = tmp_path_factory.mktemp("demo") / "demo-ent-export.xml"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        call_command("ent_export_esidoc", "--uai", UAI, "--all-classes", "--teachers", "--staff",
                     "-o", str(path), stdout=StringIO())
        transaction.set_rollback(True)
    return path


@pytest.fixture(scope="module")
def people(export_path):
    return read_fiches(export_path.read_bytes()).records


@pytest.fixture(scope="module")
def base(people):
    return demo_base(people, today=TODAY)


def seed_library(path, *extra) -> str:
    out = StringIO()
    call_command("seed_demo_library", "--uai", UAI, str(path), "--today", TODAY.isoformat(), *extra,
                 stdout=out, stderr=StringIO())
    return out.getvalue()


def dump(library) -> dict[str, list[tuple]]:
    """Everything the demo writes, without database keys or timestamps."""
    numbers = dict(Borrower.objects.filter(library=library).values_list("pk", "number"))
    barcodes = dict(Copy.objects.filter(library=library).values_list("pk", "barcode"))
    return {
        "borrowers": list(Borrower.objects.filter(library=library).order_by("number").values_list(
            "number", "name", "status", "school_class", "birth_date", "email", "borrower_type",
            "ent_identity")),
        "records": list(Record.objects.filter(library=library).order_by("pk").values_list(
            "title", "authors", "publisher", "year", "isbn", "subjects", "support", "call_number")),
        "copies": list(Copy.objects.filter(library=library).order_by("barcode").values_list(
            "barcode", "record__title", "status")),
        "loans": sorted(
            (numbers[b], barcodes[c], loaned, due, returned, status, school_class)
            for b, c, loaned, due, returned, status, school_class in Loan.objects.filter(library=library)
            .values_list("borrower", "copy", "loaned_on", "due_on", "returned_on", "borrower_status",
                         "borrower_class")
        ),
    }


def first_update(library, path):
    """The analysis the librarian sees first: the file against the base, lot ``Statut=Elève``."""
    incoming = users_file_read(path.read_bytes()).people
    snapshot = borrower_snapshot(library=library, lot=parse_expression("Statut=Elève"))
    return plan_update(incoming, snapshot, UpdateOptions())


# --- make demo, end to end ----------------------------------------------------------------------


@pytest.mark.django_db
def test_make_demo_gives_a_first_update_with_every_group_of_the_seed(tmp_path):
    path = tmp_path / "demo-ent-export.xml"
    call_command("seed_demo", stdout=StringIO())
    call_command("ent_export_esidoc", "--uai", UAI, "--all-classes", "--teachers", "--staff", "-o", str(path),
                 stdout=StringIO())

    output = seed_library(path)

    library = Library.objects.get(uai=UAI)
    assert library.name == LIBRARY_NAME
    assert Librarian.objects.filter(library=library, user__username="documentaliste").exists()
    assert re.fullmatch(
        r"CDI du Collège Jean Moulin \(démo\) \(9990001X\) : \d+ emprunteurs, \d+ notices, \d+ exemplaires, "
        r"120 prêts en cours, 800 prêts rendus\.\nPremière mise à jour : Gestion des emprunteurs › Mettre à "
        r"jour, lot « Statut=Elève »\.\n", output)

    plan = first_update(library, path)

    expected = demo_base(read_fiches(path.read_bytes()).records, today=TODAY)  # what the command built
    out_on = {loan.borrower for loan in expected.loans if loan.returned_on is None}
    left = [(i, b) for i, b in enumerate(expected.borrowers) if b.kind in ("left", "moved")]
    numbers = {b.name: b.number for b in expected.borrowers}
    counts = plan.counts
    assert all(counts[group] > 0 for group in ("new", "updated", "ambiguous", "deleted", "set_aside",
                                               "conflicts", "suggestions")), counts
    # Supprimés and mis à l'écart: the pupils who left, set aside exactly when a book is still out.
    assert sorted(r.number for r in plan.deleted) == sorted(b.number for i, b in left if i not in out_on)
    assert sorted(r.number for r in plan.set_aside) == sorted(b.number for i, b in left if i in out_on)
    assert len(plan.set_aside) == 15
    # Nouveaux: at least this year's 6e, who were not in the collège last year.
    new_identities = {entry.person.ent_identity for entry in plan.new}
    records = read_fiches(path.read_bytes()).records
    sixth = {p.ent_identity for p in records if p.school_class.startswith("6e")}
    assert sixth <= new_identities
    # The homonym windows: the teacher typed twice, and the two pupils of last year's 5e with one name.
    teacher_key = name_key(expected.cases["typed_twice"][0])
    twice = sorted(b.number for b in expected.borrowers if name_key(b.name) == teacher_key)
    pupils = sorted(b.number for b in expected.borrowers if b.name == expected.cases["homonyms"][0])
    assert sorted(sorted(c.borrower_numbers) for c in plan.conflicts) == sorted([twice, pupils])
    # Suggestions: the teacher typed "Prénom NOM", the teacher and the pupil typed with a slip.
    hand_typed = [*expected.cases["swapped"], *expected.cases["slip"]]
    assert sorted(s.number for s in plan.suggestions) == sorted(numbers[name] for name in hand_typed)
    # The pupil of the ``eleve`` account is matched: last year 5eA, this year 4eA.
    lucie = next(u for u in plan.updated if u.person.name == EVERYDAY_PUPIL)
    assert lucie.number == numbers[EVERYDAY_PUPIL]
    assert ("school_class", "5eA", "4eA") in [(c.field, c.old, c.new) for c in lucie.changes]


# --- What the base looks like -------------------------------------------------------------------


def test_pupils_are_last_years_one_level_down_and_this_years_6e_are_absent(people, base):
    names = Counter(name_key(p.name) for p in people)
    in_base = {name_key(b.name) for b in base.borrowers}
    sixth = [p for p in people if p.school_class.startswith("6e") and names[name_key(p.name)] == 1]
    assert sixth and not [p.name for p in sixth if name_key(p.name) in in_base]
    lucie = [b for b in base.borrowers if b.name == EVERYDAY_PUPIL]
    assert [(b.school_class, b.birth_date) for b in lucie] == [("5eA", date(2013, 3, 14))]
    classes = Counter(b.school_class[:2] for b in base.borrowers if b.school_class)
    assert set(classes) == {"6e", "5e", "4e", "3e"}
    assert sorted(b.school_class for b in base.borrowers if b.kind == "left") == sorted(
        f"3e{section}" for section in "ABCDEF" for _ in range(25))
    assert not [b for b in base.borrowers if b.kind == "left" and name_key(b.name) in names]


def test_statuses_and_names_look_typed_by_hand(people, base):
    statuses = Counter(b.status for b in base.borrowers)
    assert {"Elève", "Eleve", "élève", "Élève", "Enseignant", "Personnel"} <= set(statuses)
    assert 3 <= statuses[""] <= 10
    cases = base.cases
    assert len(cases["comma"]) == 5 and all(", " in name for name in cases["comma"])
    assert len(cases["no_accents"]) == 4 and all(name.isascii() for name in cases["no_accents"])
    assert len(cases["slip"]) == 2 and len(cases["swapped"]) == 1 and len(cases["gone"]) == 1
    file_names = {name_key(p.name) for p in people}
    assert name_key(cases["gone"][0]) not in file_names
    assert [name_key(name) in file_names for name in cases["slip"]] == [False, False]
    twice = [b for b in base.borrowers if name_key(b.name) == name_key(cases["typed_twice"][0])]
    assert len(twice) == 2 and all(b.status == "Enseignant" or b.status for b in twice)
    homonyms = [b for b in base.borrowers if b.name == cases["homonyms"][0]]
    assert len(homonyms) == 2
    assert [b.birth_date for b in homonyms] == [None, None]
    assert {b.school_class[:2] for b in homonyms} == {"5e"}


def test_the_catalogue_and_the_loans_are_plausible(base):
    assert 290 <= len(base.records) <= 310
    assert len({copy[1] for copy in base.copies}) == len(base.copies)
    open_loans = [loan for loan in base.loans if loan.returned_on is None]
    returned = [loan for loan in base.loans if loan.returned_on is not None]
    assert (len(open_loans), len(returned)) == (120, 800)
    assert len({loan.copy for loan in open_loans}) == 120
    assert {base.copies[loan.copy][2] for loan in open_loans} == {CopyStatus.ON_LOAN}
    overdue = [loan for loan in open_loans if loan.due_on < TODAY]
    assert 10 <= len(overdue) < 120
    assert all(loan.loaned_on < loan.returned_on < TODAY for loan in returned)
    spans: dict[int, list] = {}
    for loan in base.loans:
        spans.setdefault(loan.copy, []).append((loan.loaned_on, loan.returned_on or date.max))
    for periods in spans.values():
        periods.sort()
        assert all(end < start for (_, end), (start, _) in itertools.pairwise(periods))
    kinds = Counter(base.borrowers[loan.borrower].kind for loan in open_loans)
    assert kinds["left"] == 16 and kinds["moved"] == 1
    everyday = next(i for i, b in enumerate(base.borrowers) if b.name == EVERYDAY_PUPIL)
    assert [loan for loan in open_loans if loan.borrower == everyday]


def test_the_same_file_and_day_give_the_same_base(people, base):
    again = demo_base(list(reversed(people)), today=TODAY)

    assert again.borrowers == base.borrowers
    assert again.records == base.records
    assert again.copies == base.copies
    assert again.loans == base.loans


def test_loan_dates_follow_the_day_given(people):
    later = demo_base(people, today=TODAY + timedelta(days=100))

    assert max(loan.loaned_on for loan in later.loans) > TODAY


# --- The command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_twice_changes_nothing_and_says_so(export_path):
    get_user_model().objects.create_user("documentaliste")
    seed_library(export_path)
    library = Library.objects.get(uai=UAI)
    before = dump(library)
    stamps = list(Borrower.objects.order_by("pk").values_list("pk", "updated_at"))

    output = seed_library(export_path)

    assert output == (f"{LIBRARY_NAME} ({UAI}) a déjà {len(before['borrowers'])} emprunteur(s) ou un "
                      "catalogue : rien n'a été modifié (--reset pour reconstruire la base de "
                      "démonstration).\n")
    assert dump(library) == before
    assert list(Borrower.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert Librarian.objects.filter(library=library).count() == 1


@pytest.mark.django_db
def test_reset_rebuilds_the_same_base_after_the_librarian_changed_it(export_path):
    seed_library(export_path)
    library = Library.objects.get(uai=UAI)
    before = dump(library)
    Borrower.objects.filter(library=library, number=1).update(name="ZORRO")
    Loan.objects.filter(library=library, returned_on=None).first().delete()

    seed_library(export_path, "--reset")

    assert dump(library) == before


@pytest.mark.django_db
def test_the_base_is_written_in_a_few_queries(export_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):
        seed_library(export_path)

    assert Borrower.objects.count() > 600


@pytest.mark.django_db
def test_without_the_ent_demo_account_the_base_is_built_with_a_warning(export_path):
    err = StringIO()

    call_command("seed_demo_library", "--uai", UAI, str(export_path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == ("Attention : le compte « documentaliste » n'existe pas (lancez d'abord "
                              "seed_demo) ; personne ne gère cette bibliothèque.\n")
    assert Librarian.objects.count() == 0
    assert Borrower.objects.filter(library__uai=UAI).count() > 600


@pytest.mark.django_db
@pytest.mark.parametrize(("arguments", "message"), [
    (["--uai", "9990001A", "FILE"],
     "« 9990001A » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle)."),
    (["--uai", UAI, "/nulle/part.xml"], "Fichier introuvable : /nulle/part.xml"),
])
def test_bad_arguments_are_refused_in_french_and_create_nothing(export_path, arguments, message):
    arguments = [str(export_path) if a == "FILE" else a for a in arguments]

    with pytest.raises(CommandError) as error:
        call_command("seed_demo_library", *arguments, stdout=StringIO(), stderr=StringIO())

    assert str(error.value) == message
    assert (Library.objects.count(), Borrower.objects.count(), Record.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_a_file_that_is_not_a_users_file_is_refused(tmp_path):
    not_xml = tmp_path / "notes.xml"
    not_xml.write_text("Ceci n'est pas un fichier XML.", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("seed_demo_library", "--uai", UAI, str(not_xml), stdout=StringIO(), stderr=StringIO())

    assert str(error.value).startswith(f"{not_xml} : ")
    assert Library.objects.count() == 0


@pytest.mark.django_db
def test_a_file_of_parents_only_is_refused(tmp_path, people):
    path = tmp_path / "parents.xml"
    parent = UserRecord(name="MARCHAND Sophie", ent_identity="P1", status=Status.PARENT)
    path.write_bytes(write_fiches([parent]))

    with pytest.raises(CommandError) as error:
        call_command("seed_demo_library", "--uai", UAI, str(path), stdout=StringIO(), stderr=StringIO())

    assert str(error.value) == (f"{path} ne contient aucun élève ni aucun personnel : ce n'est pas "
                                "l'export des utilisateurs d'un établissement.")
    assert Library.objects.count() == 0
