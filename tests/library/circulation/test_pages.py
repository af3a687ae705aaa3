"""The circulation pages: the desk, overdue loans and letters, lost copies, reservations and the
alerts panel.

The pages only call the services, so these tests check what the librarian sees and does: the
French result announced in ``role=status``, the French refusal in ``role=alert`` with a 400, and,
after every refusal, every circulation row exactly as it was (``circulation_dump``).
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sesame.library.models import (
    AlertKind,
    Copy,
    CopyStatus,
    Librarian,
    LibrarianAlert,
    Loan,
    Reservation,
    ReservationState,
)
from tests.library.circulation.conftest import date_fr, lend, url
from tests.library.factories import OTHER_UAI, UAI, circulation_dump, make_library
from tests.pages import alerts, by_testid, document, statuses, table_rows, text, words

PASSWORD = "motdepasse-test"


# --- Access and menu ------------------------------------------------------------------------------


def test_the_menu_lists_the_four_circulation_pages(signed_in, library):
    response = signed_in.get(url("circulation_desk"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{url("circulation_desk")}" aria-current="page">Prêt / retour</a>' in page
    assert f'<a href="{url("circulation_overdue")}">Retards et relances</a>' in page
    assert f'<a href="{url("temporary_users")}">Usagers temporaires</a>' in page
    assert f'<a href="{url("reservations")}">Réservations</a>' in page


def test_a_librarian_of_another_library_is_refused_and_changes_nothing(client, base):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)
    before = circulation_dump()

    responses = [
        client.get(url("temporary_users")),
        client.post(url("circulation_checkout", base["people"]["dupont"].number),
                    {"barcode": base["copies"]["prince1"].barcode}),
    ]

    for response in responses:
        assert response.status_code == 403
        assert "Cette bibliothèque n'existe pas ou vous n'en êtes pas gestionnaire." in text(response)
        assert "PATERNA" not in text(response)
    assert circulation_dump() == before


# --- Prêt -----------------------------------------------------------------------------------------


def test_the_desk_finds_a_borrower_by_name_without_accents(signed_in, base):
    response = signed_in.get(url("circulation_desk"), {"q": "lefevre chlo"})

    assert response.status_code == 200
    assert "1 emprunteur trouvé." in text(response)
    lefevre = base["people"]["lefevre"]
    assert f'<a href="{url("circulation_checkout", lefevre.number)}">LEFÈVRE Chloé</a>' in text(response)


def test_a_scanned_card_number_opens_the_borrowers_loans(signed_in, base):
    dupont = base["people"]["dupont"]

    response = signed_in.get(url("circulation_desk"), {"q": str(dupont.number)})

    assert response.status_code == 302
    assert response["Location"] == url("circulation_checkout", dupont.number)


def test_each_scanned_barcode_lends_one_copy_and_keeps_the_borrower(signed_in, base, today):
    dupont, copies = base["people"]["dupont"], base["copies"]

    desk = url("circulation_checkout", dupont.number)
    first = signed_in.post(desk, {"barcode": f" {copies['prince1'].barcode}\t"})
    second = signed_in.post(desk, {"barcode": copies["miserables"].barcode}, follow=True)

    assert first.status_code == 303
    assert first["Location"] == url("circulation_checkout", dupont.number)
    due = date_fr(today + timedelta(days=21))
    assert statuses(second) == [
        f"« Le Petit Prince » ({copies['prince1'].barcode}) prêté à DUPONT Marie, retour le {due}.",
        f"« Les Misérables » ({copies['miserables'].barcode}) prêté à DUPONT Marie, retour le {due}.",
    ]
    assert second.request["PATH_INFO"] == url("circulation_checkout", dupont.number)
    assert 'id="barcode" name="barcode" maxlength="40" autofocus' in second.content.decode()
    assert [row[:4] for row in table_rows(second, "open-loans")] == [
        ["Le Petit Prince", copies["prince1"].barcode, date_fr(today), due],
        ["Les Misérables", copies["miserables"].barcode, date_fr(today), due],
    ]
    assert list(Loan.objects.filter(borrower=dupont, returned_on__isnull=True)
                .order_by("pk").values_list("copy__barcode", flat=True)) == [
        copies["prince1"].barcode, copies["miserables"].barcode]


def test_the_borrowers_overdue_loans_are_shown_as_such(signed_in, base, today):
    dupont = base["people"]["dupont"]
    lend(dupont, base["copies"]["prince1"], days_ago=30)
    lend(dupont, base["copies"]["coeur"], days_ago=2)

    response = signed_in.get(url("circulation_checkout", dupont.number))

    assert [row[3] for row in table_rows(response, "open-loans")] == [
        f"{date_fr(today - timedelta(days=9))} (en retard)", date_fr(today + timedelta(days=19))]


def test_a_temporary_user_cannot_borrow(signed_in, base):
    paterna, copy = base["people"]["paterna"], base["copies"]["prince1"]
    before = circulation_dump()

    response = signed_in.post(url("circulation_checkout", paterna.number), {"barcode": copy.barcode})

    assert response.status_code == 400
    assert alerts(response) == [
        "Prêt impossible : PATERNA Christophe est un usager temporaire (mis à l'écart lors de la mise à "
        "jour). Les retours restent possibles."]
    assert circulation_dump() == before


@pytest.mark.parametrize(("barcode", "message"), [
    ("X404", "Code-barre inconnu : aucun exemplaire « X404 » dans cette bibliothèque."),
    ("", "Scannez ou tapez le code-barre de l'exemplaire."),
    ("E" * 41, "Un code-barre compte 40 caractères au plus."),
])
def test_a_bad_barcode_is_refused_and_changes_nothing(signed_in, base, barcode, message):
    before = circulation_dump()

    desk = url("circulation_checkout", base["people"]["dupont"].number)
    response = signed_in.post(desk, {"barcode": barcode})

    assert response.status_code == 400
    assert alerts(response) == [message]
    assert circulation_dump() == before


def test_a_copy_already_lent_is_refused(signed_in, base, today):
    copy = base["copies"]["prince1"]
    loan = lend(base["people"]["martin"], copy, days_ago=1)
    before = circulation_dump()

    desk = url("circulation_checkout", base["people"]["dupont"].number)
    response = signed_in.post(desk, {"barcode": copy.barcode})

    assert response.status_code == 400
    assert alerts(response) == [
        f"L'exemplaire {copy.barcode} est déjà prêté (retour prévu le {date_fr(loan.due_on)})."]
    assert circulation_dump() == before


def test_an_unknown_borrower_number_is_a_404(signed_in, base):
    response = signed_in.get(url("circulation_checkout", 999))

    assert response.status_code == 404
    assert alerts(response) == ["Aucun emprunteur n'a le numéro 999 dans cette bibliothèque."]


def test_renewing_a_loan_extends_it_from_today(signed_in, base, today):
    dupont, copy = base["people"]["dupont"], base["copies"]["prince1"]
    loan = lend(dupont, copy, days_ago=15)

    response = signed_in.post(url("circulation_renew", loan.pk), follow=True)

    due = today + timedelta(days=21)
    assert statuses(response) == [
        f"Prêt de « Le Petit Prince » ({copy.barcode}) prolongé jusqu'au {date_fr(due)}."]
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewals) == (due, 1)


def test_renewing_a_temporary_users_loan_is_refused(signed_in, base):
    loan = lend(base["people"]["paterna"], base["copies"]["prince1"], days_ago=40)
    before = circulation_dump()

    response = signed_in.post(url("circulation_renew", loan.pk))

    assert response.status_code == 400
    assert alerts(response) == [
        "Prolongation impossible : PATERNA Christophe est un usager temporaire (mis à l'écart lors de la "
        "mise à jour). Les retours restent possibles."]
    assert circulation_dump() == before


# --- Retour ---------------------------------------------------------------------------------------


def test_a_return_needs_the_barcode_alone_and_shows_who_returned_what(signed_in, base, today):
    copy = base["copies"]["prince1"]
    lend(base["people"]["dupont"], copy, days_ago=25)

    response = signed_in.post(url("circulation_return"), {"barcode": copy.barcode}, follow=True)

    assert statuses(response) == [
        f"« Le Petit Prince » ({copy.barcode}) rendu par DUPONT Marie. Rendu avec 4 jours de retard."]
    assert [row[1:] for row in table_rows(response, "recent-returns")] == [
        [copy.barcode, "Le Petit Prince", "DUPONT Marie"]]
    assert Loan.objects.get(copy=copy).returned_on == today
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.AVAILABLE


def test_a_temporary_user_can_return_and_the_last_return_is_announced(signed_in, base):
    paterna, copies = base["people"]["paterna"], base["copies"]
    lend(paterna, copies["prince1"], days_ago=60)
    lend(paterna, copies["coeur"], days_ago=60)

    first = signed_in.post(url("circulation_return"), {"barcode": copies["prince1"].barcode}, follow=True)
    last = signed_in.post(url("circulation_return"), {"barcode": copies["coeur"].barcode}, follow=True)

    assert statuses(first) == [
        f"« Le Petit Prince » ({copies['prince1'].barcode}) rendu par PATERNA Christophe. "
        "Rendu avec 39 jours de retard."]
    assert statuses(last) == [
        f"« Le Cœur cousu » ({copies['coeur'].barcode}) rendu par PATERNA Christophe. "
        "Rendu avec 39 jours de retard.",
        "Dernier prêt de l'usager temporaire PATERNA Christophe rendu : sa fiche peut être supprimée.",
    ]
    notices = [words(item) for item in by_testid(last, "alert")]
    assert len(notices) == 1
    assert (f"PATERNA Christophe (n° {paterna.number}), usager temporaire, n'a plus de prêt en cours : "
            "sa fiche peut maintenant être supprimée.") in notices[0]
    assert not Loan.objects.filter(borrower=paterna, returned_on__isnull=True).exists()


def test_a_returned_copy_that_is_reserved_must_be_put_aside(signed_in, base):
    copy, record = base["copies"]["miserables"], base["records"]["miserables"]
    lend(base["people"]["dupont"], copy, days_ago=3)
    Reservation.objects.create(library=base["people"]["dupont"].library, record=record,
                               borrower=base["people"]["martin"])

    response = signed_in.post(url("circulation_return"), {"barcode": copy.barcode}, follow=True)

    assert statuses(response) == [
        f"« Les Misérables » ({copy.barcode}) rendu par DUPONT Marie.",
        "Cet exemplaire est réservé par MARTIN Lucas : mettez-le de côté.",
    ]
    reservation = Reservation.objects.get(record=record)
    assert (reservation.state, reservation.copy_id) == (ReservationState.READY, copy.pk)


def test_returning_a_copy_that_is_not_lent_is_refused(signed_in, base):
    copy = base["copies"]["prince1"]
    before = circulation_dump()

    response = signed_in.post(url("circulation_return"), {"barcode": copy.barcode})

    assert response.status_code == 400
    assert alerts(response) == [
        f"L'exemplaire {copy.barcode} n'est pas en prêt : aucun retour à enregistrer."]
    assert circulation_dump() == before


# --- Retards et relances ----------------------------------------------------------------------------


@pytest.fixture
def overdue(base):
    people, copies = base["people"], base["copies"]
    lend(people["dupont"], copies["prince1"], days_ago=30)
    lend(people["lefevre"], copies["coeur"], days_ago=40)
    lend(people["martin"], copies["miserables"], days_ago=25)
    lend(people["dupont"], copies["prince2"], days_ago=3)  # not overdue yet
    return base


def test_overdue_loans_are_filtered_by_class(signed_in, overdue, today):
    response = signed_in.get(url("circulation_overdue"), {"classe": "3eA"})

    assert response.status_code == 200
    assert "2 prêts en retard (2 emprunteurs), classe 3eA." in text(response)
    copies = overdue["copies"]
    assert table_rows(response, "overdue-loans") == [
        ["DUPONT Marie", "3eA", "Le Petit Prince", copies["prince1"].barcode,
         date_fr(today - timedelta(days=9)), "9 jours"],
        ["LEFÈVRE Chloé", "3eA", "Le Cœur cousu", copies["coeur"].barcode,
         date_fr(today - timedelta(days=19)), "19 jours"],
    ]
    assert '<option value="3eA" selected>3eA</option>' in response.content.decode()
    assert '<option value="4eB">4eB</option>' in response.content.decode()


def test_the_letters_of_a_class_are_one_pdf_with_one_page_per_borrower(signed_in, overdue, today):
    response = signed_in.get(url("circulation_letters"), {"classe": "3eA"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="lettres-de-relance-{UAI}-3ea-{today:%Y-%m-%d}.pdf"')
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 2
    assert "DUPONT Marie" in pages[0] and "Le Petit Prince" in pages[0]
    assert "LEFÈVRE Chloé" in pages[1] and "Le Coeur cousu" in pages[1]
    assert not any("MARTIN" in page for page in pages)


def test_without_overdue_loans_no_letter_is_printed(signed_in, overdue):
    before = circulation_dump()

    response = signed_in.get(url("circulation_letters"), {"classe": "2nde1"}, follow=True)

    assert response.request["PATH_INFO"] == url("circulation_overdue")
    assert statuses(response) == ["Aucun prêt en retard pour la classe 2nde1 : aucune lettre à imprimer."]
    assert "Aucun prêt en retard pour la classe 2nde1." in text(response)
    assert circulation_dump() == before


# --- Déclarer perdu ---------------------------------------------------------------------------------


def test_declaring_a_lent_copy_lost_asks_then_closes_the_loan(signed_in, base, today):
    paterna, copy = base["people"]["paterna"], base["copies"]["coeur"]
    loan = lend(paterna, copy, days_ago=60)

    asked = signed_in.get(url("copy_lost", copy.barcode))
    assert [words(item) for item in by_testid(asked, "confirm-close")] == [
        "Cet exemplaire est prêté à PATERNA Christophe : clôturer le prêt ?"]
    before = circulation_dump()
    unconfirmed = signed_in.post(url("copy_lost", copy.barcode))
    assert unconfirmed.status_code == 200
    assert 'data-testid="confirm-close"' in unconfirmed.content.decode()
    assert circulation_dump() == before

    here = url("temporary_user_loans", paterna.number)
    done = signed_in.post(url("copy_lost", copy.barcode), {"confirm": "on", "next": here}, follow=True)

    assert done.request["PATH_INFO"] == here
    assert statuses(done) == [
        f"Exemplaire {copy.barcode} (« Le Cœur cousu ») déclaré perdu. "
        "Le prêt de PATERNA Christophe est clôturé.",
        "Dernier prêt de l'usager temporaire PATERNA Christophe clôturé : sa fiche peut être supprimée.",
    ]
    loan.refresh_from_db()
    assert (loan.returned_on, loan.closed_as_lost) == (today, True)
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.LOST


def test_declaring_a_copy_on_the_shelf_lost_needs_no_loan_and_ignores_a_foreign_next(signed_in, base):
    copy = base["copies"]["prince2"]

    response = signed_in.post(url("copy_lost", copy.barcode), {"next": "https://exemple.org/"})

    assert response.status_code == 303
    assert response["Location"] == url("copy_lost", copy.barcode)
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.LOST


# --- Réservations ---------------------------------------------------------------------------------------


def test_a_reservation_is_made_for_a_borrower_and_cancelled(signed_in, base):
    record, martin = base["records"]["miserables"], base["people"]["martin"]
    lend(base["people"]["dupont"], base["copies"]["miserables"], days_ago=2)

    found = signed_in.get(url("record_reservations", record.pk), {"q": "martin"})
    assert "Réserver pour MARTIN Lucas</button>" in found.content.decode()
    made = signed_in.post(url("record_reservations", record.pk), {"borrower": martin.number}, follow=True)

    assert statuses(made) == ["Réservation de « Les Misérables » enregistrée pour MARTIN Lucas."]
    reservation = Reservation.objects.get(record=record)
    assert (reservation.borrower_id, reservation.state) == (martin.pk, ReservationState.WAITING)
    assert [row[:4] for row in table_rows(made, "queue")] == [
        ["1", "MARTIN Lucas", date_fr(timezone.localdate()), "en attente"]]

    cancelled = signed_in.post(url("reservation_cancel", reservation.pk), follow=True)

    assert statuses(cancelled) == ["Réservation de « Les Misérables » pour MARTIN Lucas annulée."]
    assert Reservation.objects.get(pk=reservation.pk).state == ReservationState.CANCELLED


def test_a_reservation_with_a_copy_on_the_shelf_is_held_and_listed_to_put_aside(signed_in, base):
    record, martin = base["records"]["coeur"], base["people"]["martin"]

    made = signed_in.post(url("record_reservations", record.pk), {"borrower": martin.number}, follow=True)
    listed = signed_in.get(url("reservations"))

    copy = base["copies"]["coeur"]
    assert statuses(made) == [
        "Réservation de « Le Cœur cousu » enregistrée pour MARTIN Lucas. "
        f"L'exemplaire {copy.barcode} est disponible : mettez-le de côté."]
    assert [row[:3] for row in table_rows(listed, "held-copies")] == [
        ["Le Cœur cousu", copy.barcode, "MARTIN Lucas (4eB)"]]


def test_a_temporary_user_cannot_reserve(signed_in, base):
    record, paterna = base["records"]["miserables"], base["people"]["paterna"]
    before = circulation_dump()

    response = signed_in.post(url("record_reservations", record.pk), {"borrower": paterna.number})

    assert response.status_code == 400
    assert alerts(response) == [
        "Réservation impossible : PATERNA Christophe est un usager temporaire (mis à l'écart lors de la "
        "mise à jour)."]
    assert circulation_dump() == before


def test_records_are_found_by_title_words_or_copy_barcode(signed_in, base):
    by_title = signed_in.get(url("reservations"), {"q": "miserables"})
    by_barcode = signed_in.get(url("reservations"), {"q": base["copies"]["coeur"].barcode})

    assert "1 notice trouvée." in text(by_title)
    assert f'<a href="{url("record_reservations", base["records"]["miserables"].pk)}">Les Misérables</a>' in (
        by_title.content.decode())
    assert f'<a href="{url("record_reservations", base["records"]["coeur"].pk)}">Le Cœur cousu</a>' in (
        by_barcode.content.decode())


# --- Notices ----------------------------------------------------------------------------------------


def test_a_notice_is_listed_until_marked_as_read(signed_in, base, library):
    notice = LibrarianAlert.objects.create(library=library, kind=AlertKind.RESERVATION_READY,
                                          message="Réservation disponible : « Les Misérables ».")
    shown = signed_in.get(url("reservations"))
    assert "1 avis non lu" in text(shown)
    assert "Réservation disponible : « Les Misérables »." in text(shown)

    marked = signed_in.post(url("alerts_read"), {"id": notice.pk, "next": url("reservations")}, follow=True)

    assert marked.request["PATH_INFO"] == url("reservations")
    assert statuses(marked) == ["1 avis marqué comme lu."]
    assert 'data-testid="alerts"' not in marked.content.decode()
    assert LibrarianAlert.objects.get(pk=notice.pk).is_read is True


def test_a_notice_of_another_library_cannot_be_marked(signed_in, base):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    notice = LibrarianAlert.objects.create(library=other, kind=AlertKind.RESERVATION_READY,
                                          message="Ailleurs")

    response = signed_in.post(url("alerts_read"), {"id": notice.pk}, follow=True)

    assert statuses(response) == ["Aucun avis à marquer comme lu."]
    assert LibrarianAlert.objects.get(pk=notice.pk).is_read is False


# --- Help ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "title"), [
    ("pret-retour", "Prêt, retour, retards et réservations"),
    ("usagers-temporaires", "Traiter les usagers temporaires"),
])
def test_the_guide_pages_are_served_and_linked_from_the_circulation_pages(signed_in, base, slug, title):
    guide = reverse("library:help", args=[slug])
    linking = signed_in.get(url("circulation_desk" if slug == "pret-retour" else "temporary_users"))

    response = signed_in.get(guide)

    assert response.status_code == 200
    assert [words(heading) for heading in document(response).xpath("//h1")] == [title]
    assert f'href="{guide}"' in linking.content.decode()


def test_a_barcode_with_a_slash_can_be_declared_lost(signed_in, base):
    copy = Copy.objects.create(library=base["people"]["dupont"].library, record=base["records"]["prince"],
                               barcode="CDI/2024/17")

    asked = signed_in.get(f"/bibliotheque/{UAI}/exemplaires/CDI/2024/17/declarer-perdu/")
    done = signed_in.post(url("copy_lost", copy.barcode))

    assert asked.status_code == 200
    assert done.status_code == 303
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.LOST


# --- In English -----------------------------------------------------------------------------------


def test_a_refusal_at_the_desk_is_shown_in_english_when_english_is_chosen(in_english, base):
    paterna, copy = base["people"]["paterna"], base["copies"]["prince1"]
    before = circulation_dump()

    response = in_english.post(url("circulation_checkout", paterna.number), {"barcode": copy.barcode})

    assert response.status_code == 400
    assert alerts(response) == [
        "Cannot lend: PATERNA Christophe is a temporary user (set aside by the borrower update). "
        "Returns are still possible."]
    assert circulation_dump() == before


def test_alerts_are_stored_in_french_and_shown_in_the_readers_language(signed_in, base, library):
    # Given a copy held for Lucas (the alert is written while the page is in French) and an alert
    # written by hand, which matches no template
    martin, copy = base["people"]["martin"], base["copies"]["coeur"]
    signed_in.post(url("record_reservations", base["records"]["coeur"].pk), {"borrower": martin.number})
    LibrarianAlert.objects.create(library=library, kind=AlertKind.RESERVATION_READY, message="Ailleurs")
    french = (f"Réservation disponible : « Le Cœur cousu » (exemplaire {copy.barcode}) est mis de côté "
              f"pour MARTIN Lucas (n° {martin.number}).")

    in_french = signed_in.get(url("reservations"))
    signed_in.post(reverse("set_language"), {"language": "en", "next": url("reservations")})
    in_english = signed_in.get(url("reservations"))
    signed_in.post(reverse("set_language"), {"language": "fr", "next": url("reservations")})

    # Then the record keeps the French text, and each page shows the alert in its reader's language
    assert sorted(LibrarianAlert.objects.values_list("message", flat=True)) == sorted([french, "Ailleurs"])
    assert [words(item) for item in by_testid(in_french, "alert-text")] == ["Ailleurs", french]
    assert [words(item) for item in by_testid(in_english, "alert-text")] == [
        "Ailleurs",
        f"Reservation available: “Le Cœur cousu” (copy {copy.barcode}) is set aside for MARTIN Lucas "
        f"(no. {martin.number}).",
    ]
