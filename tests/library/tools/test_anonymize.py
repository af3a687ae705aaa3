"""Making loan history anonymous (SPEC §2, seed C "rendre les prêts anonymes", CNIL reference S35).

A collège on 2 September 2025: pupils of 3e and 6e and a teacher, with loans returned long ago,
returned last month, and still out. Only returned loans lose their borrower; what statistics
need stays; every refusal leaves every loan as it was.
"""

from datetime import UTC, date, datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sesame.library.models import LibraryEvent, Loan
from sesame.library.tools.anonymize import (
    AnonymizeRefused,
    Preview,
    anonymize_preview,
    anonymize_selection,
    loans_anonymize,
    retention_limit,
)
from sesame.library.tools.statistics import loan_statistics
from tests.library.factories import (
    OTHER_UAI,
    UAI,
    library_tables_dump,
    loan_rows,
    make_borrower,
    make_copy,
    make_library,
    make_loan,
)

TODAY = date(2025, 9, 2)
NOTHING = "Rien n'a été modifié."


@pytest.fixture(autouse=True)
def today(clock):
    clock.set_today(TODAY)


@pytest.fixture
def base(library):
    """Loans returned in January and in August, and open ones; one loan recorded without a snapshot."""
    pupil_3 = make_borrower(library, "PETIT Hugo", school_class="3eA")
    pupil_6 = make_borrower(library, "BERNARD Emma", school_class="6eB")
    teacher = make_borrower(library, "DURAND Claire", status="Enseignant")
    loans = {
        "3_old": make_loan(pupil_3, returned=True, loaned_on=date(2025, 1, 6)),  # returned 16/01
        "3_recent": make_loan(pupil_3, returned=True, loaned_on=date(2025, 8, 4)),  # returned 14/08
        "3_open": make_loan(pupil_3, loaned_on=date(2025, 8, 25)),
        "6_old": make_loan(pupil_6, returned=True, loaned_on=date(2025, 3, 3)),
        "teacher_old": make_loan(teacher, returned=True, loaned_on=date(2024, 12, 2)),
        "teacher_open": make_loan(teacher, loaned_on=date(2025, 6, 2)),
    }
    # Recorded before snapshots existed: the status and class come from the borrower.
    Loan.objects.filter(pk=loans["6_old"].pk).update(borrower_status="", borrower_class="")
    other = make_library(OTHER_UAI, "Lycée voisin")
    loans["other"] = make_loan(make_borrower(other, "AUTRE Élève", school_class="3eA"), returned=True,
                               loaned_on=date(2025, 1, 6))
    return {"pupil_3": pupil_3, "pupil_6": pupil_6, "teacher": teacher, "loans": loans}


def row(loan: Loan) -> tuple:
    loan = Loan.objects.get(pk=loan.pk)
    return (loan.borrower_id, loan.borrower_status, loan.borrower_class, loan.loaned_on, loan.returned_on,
            loan.copy_id)


@pytest.mark.parametrize(("day", "limit"), [
    (date(2025, 9, 2), date(2025, 5, 1)),  # returned in April: kept until 31 August
    (date(2025, 9, 30), date(2025, 5, 1)),
    (date(2025, 1, 15), date(2024, 9, 1)),
    (date(2025, 4, 1), date(2024, 12, 1)),
])
def test_the_suggested_date_follows_the_four_months_after_return(day, limit):
    assert retention_limit(day) == limit


def test_loans_returned_before_a_date_lose_their_borrower_and_keep_the_rest(library, base):
    loans = base["loans"]
    selection = anonymize_selection(before=date(2025, 5, 1))
    untouched = {key: row(loans[key]) for key in ("3_recent", "3_open", "teacher_open", "other")}

    assert anonymize_preview(library=library, selection=selection) == Preview(loans=3, borrowers=3)
    assert loans_anonymize(library=library, selection=selection, expected=3, acting_user=None) == 3

    assert row(loans["3_old"]) == (None, "Elève", "3eA", date(2025, 1, 6), date(2025, 1, 16),
                                   loans["3_old"].copy_id)
    assert row(loans["6_old"]) == (None, "Elève", "6eB", date(2025, 3, 3), date(2025, 3, 13),
                                   loans["6_old"].copy_id)
    assert row(loans["teacher_old"]) == (None, "Enseignant", "", date(2024, 12, 2), date(2024, 12, 12),
                                         loans["teacher_old"].copy_id)
    assert {key: row(loans[key]) for key in untouched} == untouched


def test_loans_of_the_borrowers_an_expression_selects(library, base):
    loans = base["loans"]
    selection = anonymize_selection(expression="Statut=Elève ET Classe=3*")

    assert anonymize_preview(library=library, selection=selection) == Preview(loans=2, borrowers=1)
    assert loans_anonymize(library=library, selection=selection, acting_user=None) == 2

    anonymous = set(Loan.objects.filter(borrower__isnull=True).values_list("pk", flat=True))
    assert anonymous == {loans["3_old"].pk, loans["3_recent"].pk}
    assert row(loans["3_open"])[0] == base["pupil_3"].pk


def test_both_criteria_together(library, base):
    selection = anonymize_selection(before=date(2025, 5, 1), expression="statut=eleve")

    assert loans_anonymize(library=library, selection=selection, acting_user=None) == 2

    assert set(Loan.objects.filter(borrower__isnull=True).values_list("pk", flat=True)) == {
        base["loans"]["3_old"].pk, base["loans"]["6_old"].pk}


def test_after_it_no_returned_loan_leads_to_a_person_and_statistics_are_unchanged(library, base):
    statistics = loan_statistics(library=library, today=TODAY)

    count = loans_anonymize(library=library, selection=anonymize_selection(), acting_user=None)

    after = loan_statistics(library=library, today=TODAY)
    assert (after.total, after.by_month, after.by_level, after.by_class) == (
        statistics.total, statistics.by_month, statistics.by_level, statistics.by_class)
    assert (statistics.anonymous, after.anonymous) == (0, 4)

    assert count == 4
    history = Loan.objects.filter(library=library, returned_on__isnull=False)
    assert not history.filter(borrower__isnull=False).exists()
    assert Loan.objects.filter(library=library, returned_on__isnull=True, borrower__isnull=False).count() == 2
    assert row(base["loans"]["other"])[0] is not None  # another school's history is its own


def test_the_desk_journal_no_longer_says_who_borrowed_a_returned_copy(library):
    from sesame.library.circulation.services import loan_checkout, loan_return

    pupil = make_borrower(library, "PETIT Hugo", school_class="3eA", number=12)
    first, second = make_copy(library), make_copy(library)
    desk = [(loan_checkout, first, date(2025, 1, 6)), (loan_return, first, date(2025, 1, 16)),
            (loan_checkout, second, date(2025, 8, 25))]
    for action, copy, day in desk:
        borrower = {"borrower": pupil} if action is loan_checkout else {}
        action(library=library, barcode=copy.barcode, today=day,
               now=datetime.combine(day, time(9), tzinfo=UTC), acting_user=None, **borrower)

    assert loans_anonymize(library=library, selection=anonymize_selection(), acting_user=None) == 1

    journal = LibraryEvent.objects.filter(library=library).exclude(action="anonymise").order_by("at")
    assert [(line.action, line.borrower_id, line.copy_id, line.detail) for line in journal] == [
        ("checkout", None, first.pk, f"{first.barcode} → emprunteur anonyme, retour le 27/01/2025"),
        ("return", None, first.pk, f"{first.barcode} rendu par emprunteur anonyme"),
        ("checkout", pupil.pk, second.pk, f"{second.barcode} → n° 12, retour le 15/09/2025"),  # still out
    ]


def test_nothing_to_do_is_not_an_error(library, base):
    selection = anonymize_selection(before=date(2020, 1, 1))

    assert anonymize_preview(library=library, selection=selection) == Preview(loans=0, borrowers=0)
    assert loans_anonymize(library=library, selection=selection, acting_user=None) == 0


def test_a_malformed_expression_is_refused(library, base):
    before = library_tables_dump()

    with pytest.raises(AnonymizeRefused) as caught:
        anonymize_selection(expression="Statut=Elève ET")

    assert caught.value.message == (
        "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme (Champ=Valeur) "
        "ou d'une parenthèse.")
    assert library_tables_dump() == before


def test_a_count_that_changed_since_the_preview_is_refused(library, base):
    selection = anonymize_selection()
    assert anonymize_preview(library=library, selection=selection).loans == 4
    Loan.objects.filter(pk=base["loans"]["teacher_open"].pk).update(returned_on=date(2025, 6, 20))
    before = loan_rows()

    with pytest.raises(AnonymizeRefused) as caught:
        loans_anonymize(library=library, selection=selection, expected=4, acting_user=None)

    assert caught.value.message == (
        "Le nombre de prêts concernés a changé depuis l'aperçu (5 au lieu de 4) : "
        "vérifiez-le à nouveau avant de confirmer.")
    assert loan_rows() == before


def journal(library) -> list[tuple]:
    lines = LibraryEvent.objects.filter(library=library, action="anonymise").order_by("pk")
    return list(lines.values_list("actor_id", "at", "borrower_id", "copy_id", "detail", "data"))


def test_the_anonymisation_is_journalled_with_who_did_it_and_which_loans(library, base, librarian, clock):
    selection = anonymize_selection(before=date(2025, 5, 1), expression="Classe=3*")

    loans_anonymize(library=library, selection=selection, expected=1, acting_user=librarian)

    assert journal(library) == [
        (librarian.pk, clock.current, None, None,
         "1 prêt(s) rendus avant le 01/05/2025, emprunteurs « Classe=3* »",
         {"count": 1, "before": "2025-05-01", "lot": "Classe=3*"}),
    ]


def test_nothing_made_anonymous_and_a_refusal_leave_no_journal_line(library, base):
    loans_anonymize(library=library, selection=anonymize_selection(before=date(2020, 1, 1)), acting_user=None)
    with pytest.raises(AnonymizeRefused):
        loans_anonymize(library=library, selection=anonymize_selection(), expected=99, acting_user=None)

    assert journal(library) == []


# --- The page ------------------------------------------------------------------------------------


def url(library) -> str:
    return reverse("library:tools_anonymize", kwargs={"uai": library.uai})


def text(response) -> str:
    import html

    return html.unescape(response.content.decode())


def test_the_page_suggests_the_cnil_date(signed_in, library, base):
    response = signed_in.get(url(library))

    page = text(response)
    assert response.status_code == 200
    assert ('<input type="date" name="before" value="2025-05-01" aria-describedby="before-help" '
            'id="id_before">' in page)
    assert "soit aujourd'hui les prêts rendus avant le 01/05/2025." in page
    assert 'aria-current="page">Rendre les prêts anonymes</a>' in page


def test_the_page_counts_then_confirms(signed_in, library, base):
    preview = signed_in.post(url(library), {"before": "2025-05-01", "expression": "Classe=3*",
                                          "action": "preview"})

    page = text(preview)
    assert preview.status_code == 200
    assert "1 prêt rendu sera rendu anonyme (emprunteurs concernés : 1)." in page
    assert '<input type="hidden" name="expected" value="1">' in page
    assert '<input type="hidden" name="expression" value="Classe=3*">' in page
    assert Loan.objects.filter(borrower__isnull=True).count() == 0

    done = signed_in.post(url(library), {"before": "2025-05-01", "expression": "Classe=3*", "expected": "1",
                                       "action": "confirm"}, follow=True)

    assert done.redirect_chain == [(url(library), 302)]
    assert [str(message) for message in done.context["messages"]] == ["1 prêt a été rendu anonyme."]
    assert list(Loan.objects.filter(borrower__isnull=True).values_list("pk", flat=True)) == [
        base["loans"]["3_old"].pk]


@pytest.mark.parametrize(("data", "expected"), [
    ({"before": "", "expression": "Classe=3* OU", "action": "preview"},
     "Équation incorrecte, caractère 11 : « OU » doit être suivi d'un terme (Champ=Valeur) "
     "ou d'une parenthèse."),
    ({"before": "32/13/2025", "expression": "", "action": "preview"},
     "Date incorrecte : écrivez-la jj/mm/aaaa (par exemple 01/05/2025)."),
    ({"before": "2025-05-01", "expression": "", "action": "confirm"},
     "Comptez d'abord les prêts concernés, puis confirmez."),
    ({"before": "2025-05-01", "expression": "", "expected": "2", "action": "confirm"},
     "Le nombre de prêts concernés a changé depuis l'aperçu (3 au lieu de 2) : vérifiez-le à nouveau avant "
     "de confirmer."),
])
def test_the_page_refuses_and_changes_nothing(signed_in, library, base, data, expected):
    before = library_tables_dump()

    response = signed_in.post(url(library), data)

    assert response.status_code == 400
    assert f'role="alert" data-testid="tools-error">{expected} {NOTHING}</p>' in text(response)
    assert library_tables_dump() == before


# --- The command --------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("anonymize_loans", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_without_input(library, base):
    output = run("--uai", UAI, "--before", "2025-05-01", "--no-input")

    assert output == ("Prêts rendus avant le 01/05/2025 : 3 (emprunteurs concernés : 3).\n"
                      "3 prêt(s) rendu(s) anonyme(s).\n")
    assert Loan.objects.filter(library=library, borrower__isnull=True).count() == 3


def test_the_command_asks_oui_or_non(library, base, monkeypatch):
    before = loan_rows()
    monkeypatch.setattr("builtins.input", lambda: "non")

    output = run("--uai", UAI, "--borrowers", "Classe=3*")

    assert output == ("Prêts rendus, des emprunteurs « Classe=3* » : 2 (emprunteurs concernés : 1).\n"
                      f"Rendre ces 2 prêts anonymes ? (oui/non) Abandon. {NOTHING}\n")
    assert loan_rows() == before

    monkeypatch.setattr("builtins.input", lambda: "oui")
    run("--uai", UAI, "--borrowers", "Classe=3*")

    assert Loan.objects.filter(library=library, borrower__isnull=True).count() == 2


@pytest.mark.parametrize(("args", "expected"), [
    (("--uai", UAI, "--before", "01/05/2025"),
     "Date incorrecte « 01/05/2025 » : écrivez-la aaaa-mm-jj, par exemple 2025-05-01."),
    (("--uai", UAI, "--borrowers", "Classe=3* OU"),
     "Équation incorrecte, caractère 11 : « OU » doit être suivi d'un terme (Champ=Valeur) "
     "ou d'une parenthèse."),
    (("--uai", "0000000A"),
     "Aucune bibliothèque n'a l'UAI 0000000A : créez-la d'abord avec « python manage.py add_establishment "
     "0000000A --name \"Nom de l'établissement\" »."),
])
def test_the_command_refuses_and_changes_nothing(library, base, args, expected):
    before = loan_rows()

    with pytest.raises(CommandError) as caught:
        run(*args, "--no-input")

    assert str(caught.value) == f"{expected} {NOTHING}"
    assert loan_rows() == before
