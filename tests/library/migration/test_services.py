"""The migration services: each import is one transaction, journalled with who ran it, or refused whole."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sesame.library.migration.files import read_borrowers_csv, read_loans_csv
from sesame.library.migration.rows import problem
from sesame.library.migration.services import MigrationRefused, borrowers_import, loans_import
from sesame.library.models import Borrower, Copy, LibraryEvent, Loan, Record
from tests.library.factories import base_dump, catalogue_dump

DATA = Path(__file__).resolve().parents[2] / "data" / "library"
NOW = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)


def journal(library) -> list[tuple]:
    return list(LibraryEvent.objects.filter(library=library).order_by("pk").values_list(
        "action", "actor_id", "at", "borrower_id", "copy_id", "detail", "data"))


def test_the_borrowers_import_is_journalled_with_who_ran_it(library, librarian, clock):
    clock.set(NOW)
    rows = read_borrowers_csv((DATA / "emprunteurs.csv").read_bytes()).rows

    imported = borrowers_import(library=library, rows=rows, acting_user=librarian)

    assert Borrower.objects.filter(library=library).count() == len(rows) == 12
    assert imported.given == (13, 14)
    assert journal(library) == [
        ("borrowers_import", librarian.pk, NOW, None, None, "12 emprunteur(s) importé(s)",
         {"borrowers": 12, "numbers": [1, 14]}),
    ]


def test_the_loans_import_is_journalled_and_counts_late_loans_on_the_clocks_day(library, clock):
    clock.set(NOW)
    borrowers_import(library=library, rows=read_borrowers_csv((DATA / "emprunteurs.csv").read_bytes()).rows,
                     acting_user=None)
    Copy.objects.create(library=library, record=Record.objects.create(library=library, title="Le Lion"),
                        barcode="000200")

    imported = loans_import(library=library, rows=read_loans_csv((DATA / "prets.csv").read_bytes()).rows,
                            acting_user=None)

    assert (imported.loans, imported.records_created, imported.copies_created, imported.late) == (5, 3, 4, 3)
    assert imported.today == date(2026, 1, 20)
    assert Loan.objects.open().filter(library=library).count() == 5
    assert journal(library)[-1] == ("loans_import", None, NOW, None, None, "5 prêt(s) en cours importé(s)",
                                    {"loans": 5, "records": 3, "copies": 4})


def test_a_refused_file_lists_every_problem_in_line_order_and_changes_nothing(library):
    rows = read_borrowers_csv((DATA / "emprunteurs.csv").read_bytes()).rows
    Borrower.objects.create(library=library, number=12, name="DÉJÀ Là")
    before = (base_dump(), catalogue_dump(), journal(library))

    with pytest.raises(MigrationRefused) as refusal:
        borrowers_import(library=library, rows=rows, problems=[problem(20, "ligne illisible.")],
                         acting_user=None)

    assert (refusal.value.code, refusal.value.message) == (
        "rows", "Fichier refusé (2 problème(s)), rien n'a été importé.")
    assert refusal.value.data == {"problems": [
        "Ligne 11 : numéro d'emprunteur 12 déjà présent dans la base.", "Ligne 20 : ligne illisible."]}
    assert (base_dump(), catalogue_dump(), journal(library)) == before
