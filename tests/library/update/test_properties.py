"""The update's promises on random bases and files (reliability anchors §2.3, 11–15).

Whatever the base and the file: the import gives the base the preview announced, no open loan
is touched, a second run of the same file changes nothing, and the undo is exact.
"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesame.interop.fiches_xml import UserRecord
from sesame.interop.uai import uai_check_letter
from sesame.library.models import BorrowerType, Library, Loan
from sesame.library.update.selectors import lot_parse, update_plan
from sesame.library.update.services import update_apply, update_decide, update_undo
from sesame.library.update.snapshot import borrower_snapshot
from sesame.sync import MatchedBy, apply_plan_in_memory
from tests.library.factories import base_dump, make_borrower, make_library, make_loan
from tests.library.update.support import (
    PUPILS,
    analyse,
    db_borrowers,
    memory_borrowers,
)

pytestmark = pytest.mark.django_db


# --- Property: preview = apply, loans kept, second run a no-op, undo exact ------------------------

NAMES = ("MARTIN Léa", "MARTIN Lou", "DUPONT Marie", "DUPONT  marie", "N'DIAYE Moussa", "LE GALL Yann",
         "LEGALL Yann", "Lucas BERNARD", "BERNARD Lucas", "PETIT Jade")
CLASSES = ("", "6eA", "5eB", "4eA", "3eC", "2nde1")
STATUSES = ("Elève", "Enseignant", "Personnel")
FILE_STATUSES = ("Élève", "Enseignant", "Personnel", "Eleve")
DATES = (None, date(2012, 3, 4), date(2012, 4, 3), date(2011, 9, 9))
LOTS = ("", PUPILS, "Classe=3* OU Classe=4*", "Type d'emprunteur=Usager temporaire",
        "Statut=Elève OU Statut=Enseignant")
IDENTITIES = tuple(f"ENT-{index:02d}" for index in range(12))

borrower_strategy = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES), "status": st.sampled_from(STATUSES),
    "school_class": st.sampled_from(CLASSES),
    "birth_date": st.sampled_from(DATES), "email": st.sampled_from(("", "a@example.org")),
    "borrower_type": st.sampled_from(BorrowerType.values), "open_loans": st.integers(0, 2),
    "returned_loans": st.integers(0, 2),
})
person_strategy = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES), "status": st.sampled_from(FILE_STATUSES),
    "school_class": st.sampled_from(CLASSES), "birth_date": st.sampled_from(DATES),
    "email": st.sampled_from(("", "b@example.org")),
})
_libraries = iter(range(1_000_000, 9_999_999))


def _fresh_library() -> Library:
    """A library of its own for each example, so that examples cannot see each other's rows."""
    digits = f"{next(_libraries):07d}"
    return make_library(uai=digits + uai_check_letter(digits), name="Exemple")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(
    base=st.lists(borrower_strategy, max_size=12),
    base_identities=st.lists(st.sampled_from(IDENTITIES), unique=True, max_size=12),
    people=st.lists(person_strategy, min_size=1, max_size=10),
    people_identities=st.lists(st.sampled_from(IDENTITIES), unique=True, min_size=10, max_size=10),
    lot=st.sampled_from(LOTS),
    anonymize=st.booleans(),
)
def test_property_preview_equals_apply_loans_kept_rerun_noop_undo_exact(
    base, base_identities, people, people_identities, lot, anonymize,
):
    library = _fresh_library()
    for index, row in enumerate(base):
        borrower = make_borrower(
            library, row["name"], status=row["status"], school_class=row["school_class"],
            birth_date=row["birth_date"], email=row["email"], borrower_type=row["borrower_type"],
            ent_identity=base_identities[index] if index < len(base_identities) else "",
        )
        for _ in range(row["open_loans"]):
            make_loan(borrower)
        for _ in range(row["returned_loans"]):
            make_loan(borrower, returned=True)
    records = [UserRecord(ent_identity=people_identities[index], **row) for index, row in enumerate(people)]
    before = base_dump(library)
    open_loans = list(Loan.objects.filter(library=library, returned_on__isnull=True).order_by("pk")
                      .values_list())

    analysis = analyse(library, records, lot, anonymize=anonymize)
    update_decide(run=analysis.run, confirmed_guards=["mass_removal", "low_match"], acting_user=None)
    snapshot = borrower_snapshot(library=library, lot=lot_parse(lot))
    final_plan = update_plan(run=analysis.run, final=True).plan
    update_apply(run=analysis.run, acting_user=None)

    # Preview = apply.
    assert db_borrowers(library) == memory_borrowers(apply_plan_in_memory(snapshot, final_plan))
    # Never delete a borrower with a loan; open loans untouched.
    assert list(Loan.objects.filter(library=library, returned_on__isnull=True).order_by("pk")
                .values_list()) == open_loans
    # A second run of the same file changes nothing and knows everybody by identity.
    again = update_plan(run=analyse(library, records, lot).run, final=True).plan
    assert again.is_noop
    assert len(again.updated) == len(records)
    assert {update.matched_by for update in again.updated} == {MatchedBy.IDENTITY}
    assert not again.ambiguous
    # Undo gives back exactly the base before the import.
    update_undo(library=library, acting_user=None)
    assert base_dump(library) == before
