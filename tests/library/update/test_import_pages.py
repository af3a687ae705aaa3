"""The last steps of the update pages (seed C): "Importation", the report, the undo, and who may see them.

Through the Django test client, on the collège of ``conftest.py``; every refusal is checked to
change no borrower.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse

from sesame.library.models import (
    Borrower,
    BorrowerType,
    EventAction,
    Librarian,
    LibraryEvent,
    Loan,
    UpdateRun,
)
from sesame.sync import SuggestionKey
from tests.library.factories import (
    OTHER_UAI,
    base_dump,
    make_borrower,
    make_library,
    person,
    users_file,
)
from tests.library.update.pages import (
    HELP_URL,
    PASSWORD,
    analysed_run,
    start,
    text,
    upload,
    url,
)

# --- Steps 4 and 5: Importation, report, undo --------------------------------------------------------

def decide_everything(client, library, run, base):
    endpoint = url("update_run", library, run_id=run.pk)
    client.post(endpoint, {"action": "resolve", "resolution-ENT-MARTIN": str(base["martin_b"].pk)})
    accepted = SuggestionKey(base["dupond"].pk, "ENT-DUPONT").key()
    client.post(endpoint, {"action": "suggestion", "suggestion": accepted, "decision": "accepted"})


def test_importation_applies_the_plan_and_shows_the_report(browser_client, library, base, librarian):
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.status_code == 302
    assert response.url == url("update_report", library, run_id=run.pk)
    names = set(Borrower.objects.filter(library=library).values_list("name", flat=True))
    assert names == {"MARTIN Lucas", "DUPONT Marie", "BERNARD Emma", "DURAND Claire", "NGUYEN Léa",
                     "ROUX Nina"}
    assert Borrower.objects.get(pk=base["martin_b"].pk).school_class == "4eA"
    assert Borrower.objects.get(pk=base["roux"].pk).borrower_type == BorrowerType.TEMPORARY
    assert Loan.objects.filter(library=library, borrower__isnull=True).count() == 1  # PETIT's, anonymous

    page = text(browser_client.get(response.url))
    assert "Rapport de la mise à jour" in page
    assert "1 nouveau" in page and "4 mis à jour (dont 2 ambigus)" in page
    assert "2 supprimés" in page and "1 mis à l'écart" in page
    for name in ("NGUYEN Léa", "DUPONT Marie", "PETIT Hugo", "ROUX Nina"):
        assert name in page
    assert "Léa LIVRE" in page
    assert "« Statut=Elève »" in page
    assert "Télécharger le rapport (RTF)" in page
    assert "Annuler la dernière mise à jour" in page
    assert HELP_URL.format("mise-a-jour-rapport") in page
    assert HELP_URL.format("mise-a-jour-annuler") in page
    start_page = text(browser_client.get(url("update_start", library)))
    assert url("update_report", library, run_id=run.pk) in start_page

    rtf = browser_client.get(url("update_report_rtf", library, run_id=run.pk))
    assert rtf.status_code == 200
    assert rtf["Content-Type"] == "application/rtf"
    assert rtf["Content-Disposition"].startswith(f'attachment; filename="rapport-mise-a-jour-{library.uai}-')
    assert rtf.content.startswith(b"{\\rtf1")
    assert b"NGUYEN L\\u233?a" in rtf.content


def test_the_report_names_who_imported_not_who_analysed(client, library, base, librarian):
    run = analysed_run(_logged_in(client, librarian), library)
    bruno = get_user_model().objects.create_user("bruno", first_name="Bruno", last_name="PETIT")
    Librarian.objects.create(library=library, user=bruno)
    client.force_login(bruno)

    client.post(url("update_import", library, run_id=run.pk))

    page = text(client.get(url("update_report", library, run_id=run.pk)))
    assert "<dt>Par</dt><dd>Bruno PETIT</dd>" in page
    lines = LibraryEvent.objects.filter(data__run=run.pk).order_by("pk")
    assert list(lines.values_list("action", "actor_id")) == [
        (EventAction.UPDATE_ANALYSE, librarian.pk), (EventAction.UPDATE_IMPORT, bruno.pk)]


def test_a_refusal_of_the_import_is_shown_in_english_when_english_is_chosen(browser_client, library, base):
    run = analysed_run(browser_client, library)
    Loan.objects.filter(borrower=base["roux"]).update(returned_on=date(2025, 9, 3))  # a book comes back
    browser_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = browser_client.post(url("update_import", library, run_id=run.pk), follow=True)

    page = text(response)
    assert '<html lang="en">' in page
    assert ("The borrower base has changed since the analysis (another update, a loan or an edit). "
            "Run the analysis again before importing.") in page
    assert "La base des emprunteurs a changé" not in page


def test_a_second_click_on_importation_goes_to_the_report(browser_client, library, base):
    run = analysed_run(browser_client, library)
    browser_client.post(url("update_import", library, run_id=run.pk))
    after = base_dump(library)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.url == url("update_report", library, run_id=run.pk)
    assert base_dump(library) == after


def test_importation_is_refused_when_the_base_changed_and_reanalysis_keeps_the_decisions(
    browser_client, library, base,
):
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)
    Loan.objects.filter(borrower=base["roux"]).update(returned_on=date(2025, 9, 3))  # a book comes back
    before = base_dump(library)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.url == url("update_run", library, run_id=run.pk)
    assert base_dump(library) == before
    page = text(browser_client.get(response.url))
    assert 'role="alert"' in page and "La base des emprunteurs a changé depuis l'analyse" in page
    assert "Relancer l'analyse" in page
    # The alert is shown once.
    assert "a changé depuis l'analyse (une autre" not in text(browser_client.get(response.url))

    again = browser_client.post(url("update_run", library, run_id=run.pk), {"action": "reanalyse"})

    new_run = UpdateRun.objects.filter(library=library).exclude(pk=run.pk).get()
    assert again.url == url("update_run", library, run_id=new_run.pk)
    assert new_run.resolutions == {"ENT-MARTIN": base["martin_b"].pk}
    assert new_run.suggestion_decisions == {SuggestionKey(base["dupond"].pk, "ENT-DUPONT").key(): "accepted"}
    run.refresh_from_db()
    assert run.state == UpdateRun.State.ABANDONED
    page = text(browser_client.get(again.url))
    assert "4 supprimés" not in page and "3 supprimés" in page  # ROUX has no loan left: deleted


def test_a_file_that_empties_the_lot_needs_a_confirmation(browser_client, library):
    for index in range(30):
        make_borrower(library, f"ANCIEN Élève{index:02d}", school_class="3eA")
    start(browser_client, library)
    upload(browser_client, library, users_file([person("NOUVEAU Seul", school_class="6eA")]))
    run = UpdateRun.objects.get(library=library)
    endpoint = url("update_run", library, run_id=run.pk)
    page = text(browser_client.get(endpoint))
    assert "Je confirme" in page
    assert "L'importation est arrêtée" in page
    before = base_dump(library)

    refused = browser_client.post(url("update_import", library, run_id=run.pk))

    assert refused.url == endpoint
    assert base_dump(library) == before
    codes = [code for code in ("mass_removal", "low_match") if f'value="{code}"' in page]
    browser_client.post(endpoint, {"action": "guards", "guard": codes})
    assert "L'importation est arrêtée" not in text(browser_client.get(endpoint))
    done = browser_client.post(url("update_import", library, run_id=run.pk))
    assert done.url == url("update_report", library, run_id=run.pk)
    assert Borrower.objects.filter(library=library).count() == 1


def test_undo_restores_the_base_after_a_ticked_confirmation(browser_client, library, base):
    before = base_dump(library, with_updated_at=False)
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)
    browser_client.post(url("update_import", library, run_id=run.pk))

    unconfirmed = browser_client.post(url("update_undo", library), {})
    assert unconfirmed.url == url("update_report", library, run_id=run.pk)
    assert "Cochez la case de confirmation" in text(browser_client.get(unconfirmed.url))
    assert base_dump(library, with_updated_at=False) != before

    response = browser_client.post(url("update_undo", library), {"confirm": "on"})

    assert response.url == url("update_report", library, run_id=run.pk)
    assert base_dump(library, with_updated_at=False) == before
    page = text(browser_client.get(response.url))
    assert "La dernière mise à jour a été annulée" in page
    assert "Cette mise à jour a été annulée le" in page
    assert 'action="' + url("update_undo", library) not in page


def test_undo_is_refused_when_the_base_changed_since(browser_client, library, base):
    run = analysed_run(browser_client, library)
    browser_client.post(url("update_import", library, run_id=run.pk))
    Loan.objects.filter(borrower=base["roux"]).update(returned_on=date(2025, 9, 3))
    before = base_dump(library)

    response = browser_client.post(url("update_undo", library), {"confirm": "on"})

    assert response.url == url("update_report", library, run_id=run.pk)
    assert "La base a été modifiée depuis cette mise à jour" in text(browser_client.get(response.url))
    assert base_dump(library) == before


def test_the_help_pages_of_every_step_exist(browser_client):
    for page_name in ("mise-a-jour", "mise-a-jour-avertissements", "mise-a-jour-fichier", "mise-a-jour-lot",
                      "mise-a-jour-analyse", "mise-a-jour-doublons", "mise-a-jour-suggestions",
                      "mise-a-jour-importation", "mise-a-jour-rapport", "mise-a-jour-annuler"):
        response = browser_client.get(HELP_URL.format(page_name))
        assert response.status_code == 200, page_name
        assert "Mise à jour" in text(response) or "Mettre à jour" in text(response)


# --- Who may see these pages ----------------------------------------------------------------------------

def test_a_librarian_of_another_library_is_refused(client, library, base, librarian):
    run = analysed_run(_logged_in(client, librarian), library)
    other = make_library(OTHER_UAI, "Collège d'à côté")
    stranger = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other, user=stranger)
    client.force_login(stranger)
    before = base_dump(library)

    for response in (
        client.get(url("update_start", library)),
        client.get(url("update_backup", library)),
        client.get(url("update_run", library, run_id=run.pk)),
        client.post(url("update_import", library, run_id=run.pk)),
        client.get(url("update_report_rtf", library, run_id=run.pk)),
        client.post(url("update_undo", library), {"confirm": "on"}),
    ):
        assert response.status_code == 403
    # Through their own library's address, the other library's run does not exist.
    assert client.get(url("update_run", other, run_id=run.pk)).status_code == 404
    assert client.post(url("update_import", other, run_id=run.pk)).status_code == 404
    assert base_dump(library) == before
    run.refresh_from_db()
    assert run.state == UpdateRun.State.ANALYSED


def _logged_in(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_library_login(client, library):
    for name in ("update_start", "update_backup", "update_file"):
        response = client.get(url(name, library))
        assert response.status_code == 302
        assert response.url.startswith(reverse("library:login") + "?next=")
