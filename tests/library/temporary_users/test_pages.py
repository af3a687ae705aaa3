"""The temporary users' pages (seed C7): the list, one user, their loans, reassignment, deletion.

As for the desk's pages: the French result in ``role=status``, the French refusal in
``role=alert`` with a 400, and every circulation row exactly as it was after a refusal.
"""

from datetime import timedelta

from sesame.library.models import AlertKind, Borrower, BorrowerType, LibrarianAlert, Loan
from tests.library.circulation.conftest import date_fr, lend, url
from tests.library.factories import circulation_dump, make_borrower
from tests.pages import alerts, by_testid, document, statuses, table_rows, text, words

TEMPORARY = BorrowerType.TEMPORARY


# --- Usagers temporaires (seed C7) -----------------------------------------------------------------------


def test_temporary_users_are_listed_with_their_open_loans(signed_in, base, today):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)
    lend(paterna, base["copies"]["coeur"], days_ago=50)
    idle = make_borrower(paterna.library, "ANCIEN Élève", borrower_type=TEMPORARY)

    response = signed_in.get(url("temporary_users"))

    assert "2 usagers temporaires." in text(response)
    assert table_rows(response, "temporary-users") == [
        ["ANCIEN Élève", str(idle.number), "Elève", "", "0", "—"],
        ["PATERNA Christophe", str(paterna.number), "Elève", "3eC", "2", date_fr(today - timedelta(days=29))],
    ]


def test_the_temporary_user_page_offers_the_actions_and_no_type_field(signed_in, base):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)

    response = signed_in.get(url("temporary_user", paterna.number))

    page = response.content.decode()
    assert response.status_code == 200
    reassign = url("temporary_user_reassign", paterna.number)
    loans = url("temporary_user_loans", paterna.number)
    assert f'<a class="button" href="{reassign}">Réattribuer les prêts</a>' in page
    assert f'<a class="button" href="{loans}">Liste des prêts</a>' in page
    assert ">Supprimer la fiche</button>" in page
    assert [words(item) for item in by_testid(response, "borrower-type")] == [
        "Usager temporaire (non modifiable)"]
    [main] = document(response).xpath('//main[@id="contenu"]')
    assert main.xpath('.//*[@name="borrower_type"]') == []
    assert main.xpath(".//select") == []


def test_a_regular_borrower_has_no_temporary_user_page(signed_in, base):
    dupont = base["people"]["dupont"]

    response = signed_in.get(url("temporary_user", dupont.number))

    assert response.status_code == 404
    assert alerts(response) == [f"DUPONT Marie (n° {dupont.number}) n'est pas un usager temporaire."]


def test_the_loan_list_of_a_temporary_user_offers_to_declare_each_copy_lost(signed_in, base):
    paterna, copy = base["people"]["paterna"], base["copies"]["coeur"]
    lend(paterna, copy, days_ago=60)

    response = signed_in.get(url("temporary_user_loans", paterna.number))

    assert [row[:2] for row in table_rows(response, "open-loans")] == [["Le Cœur cousu", copy.barcode]]
    here = url("temporary_user_loans", paterna.number)
    link = f'href="{url("copy_lost", copy.barcode)}?next={here.replace("/", "%2F")}"'
    assert link in response.content.decode()


def test_deleting_a_temporary_user_with_loans_is_refused(signed_in, base):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)
    before = circulation_dump()

    asked = signed_in.post(url("temporary_user_delete", paterna.number))
    refused = signed_in.post(url("temporary_user_delete", paterna.number), {"confirm": "on"})

    assert asked.status_code == 200
    assert [words(item) for item in by_testid(asked, "confirm-delete")] == [
        f"Supprimer définitivement la fiche de PATERNA Christophe (n° {paterna.number}) ? Ses prêts déjà "
        "rendus sont conservés pour les statistiques, sans son nom."]
    assert refused.status_code == 400
    assert alerts(refused) == [
        f"Suppression impossible : PATERNA Christophe (n° {paterna.number}) a encore 1 prêt(s) en cours. "
        "Enregistrez leur retour, déclarez les exemplaires perdus ou réattribuez les prêts."]
    assert circulation_dump() == before


def test_a_temporary_user_without_loans_is_deleted_after_confirmation(signed_in, base):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)
    signed_in.post(url("circulation_return"), {"barcode": base["copies"]["prince1"].barcode}, follow=True)

    response = signed_in.post(url("temporary_user_delete", paterna.number), {"confirm": "on"}, follow=True)

    assert response.request["PATH_INFO"] == url("temporary_users")
    assert statuses(response) == [
        f"Fiche de PATERNA Christophe (n° {paterna.number}) supprimée. "
        "1 prêt rendu est conservé sans son nom."]
    assert not Borrower.objects.filter(pk=paterna.pk).exists()
    assert Loan.objects.get(copy=base["copies"]["prince1"]).borrower is None


def test_reassigning_preselects_the_same_name_and_then_the_buttons_are_gone(signed_in, base):
    paterna, new = base["people"]["paterna"], base["people"]["paterna_new"]
    loans = [lend(paterna, base["copies"]["prince1"], days_ago=60),
             lend(paterna, base["copies"]["coeur"], days_ago=5)]

    form = signed_in.get(url("temporary_user_reassign", paterna.number))

    page = form.content.decode()
    assert "Un emprunteur du même nom existe : sa fiche est sélectionnée." in text(form)
    assert f'id="cible-{new.number}" value="{new.number}" checked>' in page
    assert page.count(" checked>") == 1

    done = signed_in.post(url("temporary_user_reassign", paterna.number), {"borrower": new.number},
                          follow=True)

    assert done.request["PATH_INFO"] == url("temporary_user", paterna.number)
    assert statuses(done) == [f"2 prêts réattribués à Paterna Christophe (n° {new.number})."]
    page = done.content.decode()
    assert "Réattribuer les prêts</a>" not in page
    assert "Liste des prêts</a>" not in page
    assert ">Supprimer la fiche</button>" in page
    assert ("Cet usager temporaire n'a plus aucun prêt en cours : sa fiche peut être supprimée."
            in text(done))
    moved = Loan.objects.filter(pk__in=[loan.pk for loan in loans]).values_list("borrower_id", flat=True)
    assert sorted(moved) == [new.pk, new.pk]
    assert LibrarianAlert.objects.get(borrower=paterna).kind == AlertKind.TEMPORARY_USER_CLEARED


def test_reassigning_to_a_different_name_asks_for_confirmation_first(signed_in, base):
    paterna, dupont = base["people"]["paterna"], base["people"]["dupont"]
    base["people"]["paterna_new"].delete()
    loan = lend(paterna, base["copies"]["prince1"], days_ago=60)

    form = signed_in.get(url("temporary_user_reassign", paterna.number), {"q": "dupont"})
    assert "Aucun emprunteur ne porte le même nom : recherchez celui qui recevra les prêts." in text(form)
    assert f'id="cible-{dupont.number}" value="{dupont.number}">' in form.content.decode()
    before = circulation_dump()

    asked = signed_in.post(url("temporary_user_reassign", paterna.number), {"borrower": dupont.number})

    assert asked.status_code == 200
    assert alerts(asked) == [
        "Les noms sont différents : « PATERNA Christophe » et « DUPONT Marie ». Confirmer ?"]
    assert circulation_dump() == before

    done = signed_in.post(url("temporary_user_reassign", paterna.number),
                          {"borrower": dupont.number, "confirm_different_name": "on"}, follow=True)

    assert statuses(done) == [f"1 prêt réattribué à DUPONT Marie (n° {dupont.number})."]
    assert Loan.objects.get(pk=loan.pk).borrower_id == dupont.pk


def test_reassigning_without_choosing_anyone_is_refused(signed_in, base):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)
    before = circulation_dump()

    missing = signed_in.post(url("temporary_user_reassign", paterna.number), {})
    unknown = signed_in.post(url("temporary_user_reassign", paterna.number), {"borrower": "999"})

    assert (missing.status_code, unknown.status_code) == (400, 400)
    assert alerts(missing) == ["Choisissez l'emprunteur qui recevra les prêts."]
    assert alerts(unknown) == ["Aucun emprunteur n'a le numéro 999 dans cette bibliothèque."]
    assert circulation_dump() == before


def test_a_temporary_user_without_loans_has_nothing_to_reassign(signed_in, base):
    paterna, new = base["people"]["paterna"], base["people"]["paterna_new"]
    before = circulation_dump()

    shown = signed_in.get(url("temporary_user_reassign", paterna.number))
    refused = signed_in.post(url("temporary_user_reassign", paterna.number), {"borrower": new.number})

    assert [words(item) for item in by_testid(shown, "nothing-to-reassign")] == [
        "PATERNA Christophe n'a plus aucun prêt en cours à réattribuer : sa fiche peut être supprimée."]
    assert 'name="borrower"' not in shown.content.decode()
    assert refused.status_code == 400
    assert alerts(refused) == [
        f"PATERNA Christophe (n° {paterna.number}) n'a aucun prêt en cours à réattribuer."]
    assert circulation_dump() == before


def test_a_refused_deletion_is_explained_in_english_when_english_is_chosen(in_english, base):
    paterna = base["people"]["paterna"]
    lend(paterna, base["copies"]["prince1"], days_ago=60)
    before = circulation_dump()

    response = in_english.post(url("temporary_user_delete", paterna.number), {"confirm": "on"})

    assert response.status_code == 400
    assert alerts(response) == [
        f"Cannot delete: PATERNA Christophe (no. {paterna.number}) still has 1 current loan(s). "
        "Record their return, declare the copies lost or reassign the loans."]
    assert circulation_dump() == before
