"""Gestion des emprunteurs: the "recherche gestionnaire" and a borrower's record (SPEC §2, seed C).

The search is BCDI's: an *équation de recherche*, evaluated over the library's borrowers, with
the count and each borrower's open loans. A malformed expression gives the parser's French
message and its position, and no list. The record page edits what a librarian corrects by hand;
every refusal is checked to leave the borrower exactly as it was.
"""

import html
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sesame.library.models import Borrower, BorrowerType, EventAction, Librarian, LibraryEvent
from tests.library.factories import (
    OTHER_UAI,
    UAI,
    borrower_rows,
    make_borrower,
    make_library,
    make_loan,
)

PASSWORD = "motdepasse-test"


def search(client, text: str | None = None, **params):
    if text is not None:
        params["q"] = text
    return client.get(reverse("library:borrower_search", args=[UAI]), params)


def text(response) -> str:
    """The page as a reader sees its characters (no HTML escapes)."""
    return html.unescape(response.content.decode())


def result_rows(response) -> list[list[str]]:
    """The results table as text cells, row by row."""
    page = response.content.decode()
    body = page.split('<table data-testid="results">', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return rows


# --- Who may search -----------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_library_login(client, library):
    response = search(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("library:login"))


def test_a_librarian_of_another_library_gets_a_refusal_and_no_borrower(client, base):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)

    responses = [search(client, "Statut=Elève"),
                 client.get(reverse("library:borrower_detail", args=[UAI, base["dupont"].number]))]

    for response in responses:
        assert response.status_code == 403
        assert "Cette bibliothèque n'existe pas ou vous n'en êtes pas gestionnaire." in text(response)
        assert "DUPONT" not in text(response)


# --- Search -------------------------------------------------------------------------------------


def test_an_empty_expression_lists_every_borrower_in_name_order_with_open_loans(signed_in, base):
    response = search(signed_in)

    assert response.status_code == 200
    assert "6 emprunteurs trouvés." in text(response)
    assert result_rows(response) == [
        ["4", "BERNARD Emma", "Élève", "6eC", "Usager", "0"],
        ["1", "DUPONT Marie", "Elève", "3eA", "Usager", "2"],
        ["5", "DURAND Claire", "Enseignant", "", "Usager", "0"],
        ["2", "LEROY Hugo", "Eleve", "3eB", "Usager", "0"],
        ["3", "NGUYEN Thomas", "élève", "4eA", "Usager", "0"],
        ["6", "ROUX Nina", "Elève", "3eC", "Usager temporaire", "1"],
    ]


def test_statut_eleve_selects_every_spelling_of_eleve_and_no_teacher(signed_in, base):
    response = search(signed_in, "Statut=Elève")

    assert "5 emprunteurs trouvés." in text(response)
    assert [row[1] for row in result_rows(response)] == [
        "BERNARD Emma", "DUPONT Marie", "LEROY Hugo", "NGUYEN Thomas", "ROUX Nina",
    ]


def test_the_temporary_borrowers_are_found_as_the_seed_says(signed_in, base):
    response = search(signed_in, "Type d'emprunteur=Usager temporaire")

    assert "1 emprunteur trouvé." in text(response)
    assert result_rows(response) == [["6", "ROUX Nina", "Elève", "3eC", "Usager temporaire", "1"]]


def test_a_combined_expression_with_a_wildcard(signed_in, base):
    response = search(signed_in, "Classe=3* ET Statut=Elève")

    assert [row[1] for row in result_rows(response)] == ["DUPONT Marie", "LEROY Hugo", "ROUX Nina"]
    assert 'value="Classe=3* ET Statut=Elève"' in text(response)


def test_an_expression_that_selects_nobody_says_so(signed_in, base):
    response = search(signed_in, "Classe=2*")

    assert response.status_code == 200
    assert "Aucun emprunteur trouvé." in text(response)
    assert 'data-testid="results"' not in text(response)


@pytest.mark.parametrize(("expression", "message", "marker"), [
    ("Statut=Elève ET", "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme "
                        "(Champ=Valeur) ou d'une parenthèse.", 13),
    ("Statut", "Équation incorrecte, caractère 1 : signe « = » manquant dans « Statut » (attendu "
               "Champ=Valeur, par exemple Statut=Elève).", 0),
    ("Couleur=bleu", "Champ inconnu « Couleur » (caractère 1). Champs possibles : Statut, Classe, "
                     "Emprunteur, Type d'emprunteur, N° emprunteur, Identité ENT, Mel, "
                     "Date de naissance.", 0),
])
def test_a_malformed_expression_shows_the_message_and_its_position_and_no_results(
        signed_in, base, expression, message, marker):
    response = search(signed_in, expression)

    page = text(response)
    assert response.status_code == 400
    alert = re.search(r'<p class="error" role="alert" data-testid="search-error">(.*?)</p>', page, re.S)
    assert alert.group(1) == message
    pointer = re.search(r'<pre aria-hidden="true" data-testid="search-error-marker">(.*?)</pre>', page, re.S)
    assert pointer.group(1) == f"{expression}\n{' ' * marker}^"
    assert 'aria-invalid="true"' in page
    assert "emprunteurs trouvés" not in page
    assert 'data-testid="results"' not in page


def test_a_too_long_expression_is_refused_by_the_parser(signed_in, base):
    response = search(signed_in, "Statut=" + "e" * 1000)

    assert response.status_code == 400
    assert "L'équation est trop longue (1007 caractères, 1000 au plus)." in text(response)


def test_results_come_one_hundred_a_page_and_keep_the_expression(signed_in, library):
    Borrower.objects.bulk_create([
        Borrower(library=library, number=n, name=f"ÉLÈVE {n:03d}", status="Elève", school_class="5eA")
        for n in range(1, 231)
    ])

    first = search(signed_in, "Classe=5*")
    last = search(signed_in, "Classe=5*", page=3)

    assert "230 emprunteurs trouvés." in text(first)
    assert len(result_rows(first)) == 100
    assert result_rows(first)[0][1] == "ÉLÈVE 001"
    assert "Page 1 sur 3" in text(first)
    assert 'href="?q=Classe%3D5%2A&amp;page=2"' in first.content.decode()
    assert [row[1] for row in result_rows(last)] == [f"ÉLÈVE {n:03d}" for n in range(201, 231)]


def searched_with_queries(client, library, first: int, count: int) -> tuple[str, int, int]:
    """Add ``count`` pupils (the first ten with a loan), search them: the count line, loans, queries."""
    borrowers = Borrower.objects.bulk_create([
        Borrower(library=library, number=n, name=f"NOM{n:03d} Prénom", status="Elève")
        for n in range(first, first + count)
    ])
    for borrower in borrowers[:10]:
        make_loan(borrower)
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "Statut=Elève")
    found = re.search(r"\d+ emprunteurs trouvés\.", text(response)).group()
    return found, sum(int(row[5]) for row in result_rows(response)), len(queries)


def test_the_search_reads_the_base_in_a_constant_number_of_queries(signed_in, library):
    small = searched_with_queries(signed_in, library, 1, 60)
    large = searched_with_queries(signed_in, library, 61, 60)

    assert (small[:2], large[:2]) == (("60 emprunteurs trouvés.", 10), ("120 emprunteurs trouvés.", 20))
    assert small[2] == large[2] <= 6


def test_the_page_offers_the_seed_examples_with_a_labelled_field(signed_in, base):
    page = text(search(signed_in))

    assert '<label for="q">Équation de recherche</label>' in page
    for example in ("Statut=Elève", "Type d'emprunteur=Usager temporaire", "Classe=3* ET Statut=Elève"):
        assert f"<code>{example}</code>" in page


# --- A borrower's record ------------------------------------------------------------------------


def detail_url(borrower) -> str:
    return reverse("library:borrower_detail", args=[UAI, borrower.number])


def test_the_record_shows_the_fields_and_the_open_loans(signed_in, base):
    response = signed_in.get(detail_url(base["dupont"]))

    page = text(response)
    assert response.status_code == 200
    assert "<h1>DUPONT Marie <small>(n° 1)</small></h1>" in page
    assert "<dt>Statut</dt><dd>Elève</dd>" in page
    assert "<dt>Classe</dt><dd>3eA</dd>" in page
    assert "2 prêts en cours" in page
    assert page.count("Le Petit Prince") == 2
    assert "1 prêt rendu dans l'historique." in page
    assert "aucune (fiche pas encore rapprochée de l'ENT)" in page


def test_an_unknown_number_is_a_french_404(signed_in, base):
    response = signed_in.get(reverse("library:borrower_detail", args=[UAI, 999]))

    assert response.status_code == 404
    assert "Aucun emprunteur n'a le numéro 999 dans cette bibliothèque." in text(response)


def test_the_number_of_another_librarys_borrower_is_not_found_here(signed_in, base):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    foreign = make_borrower(other, "SECRET Paul", number=77)

    response = signed_in.get(reverse("library:borrower_detail", args=[UAI, foreign.number]))

    assert response.status_code == 404
    assert "SECRET" not in text(response)


def edit_data(borrower, **changes) -> dict:
    data = {
        "name": borrower.name, "status": borrower.status, "school_class": borrower.school_class,
        "birth_date": borrower.birth_date.strftime("%d/%m/%Y") if borrower.birth_date else "",
        "email": borrower.email, "borrower_type": borrower.borrower_type,
    }
    data.update(changes)
    return data


def test_the_librarian_corrects_a_record(signed_in, base):
    dupont = base["dupont"]

    response = signed_in.post(detail_url(dupont), edit_data(
        dupont, name="  DUPONT   Marie-Hélène ", status="Élève", school_class="4eA", birth_date="14/03/2011",
        email="marie.dupont@exemple.fr",
    ), follow=True)

    dupont.refresh_from_db()
    assert response.status_code == 200
    assert "Fiche de DUPONT Marie-Hélène enregistrée." in text(response)
    assert (dupont.name, dupont.status, dupont.school_class, dupont.birth_date, dupont.email) == (
        "DUPONT Marie-Hélène", "Élève", "4eA", date(2011, 3, 14), "marie.dupont@exemple.fr")
    assert dupont.borrower_type == BorrowerType.REGULAR


def test_the_ent_identity_cannot_be_typed(signed_in, base):
    dupont = base["dupont"]

    signed_in.post(detail_url(dupont), {**edit_data(dupont, status="Élève"), "ent_identity": "PIRATE"})

    dupont.refresh_from_db()
    assert dupont.status == "Élève"
    assert dupont.ent_identity == ""


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "   "}, "Le nom de l'emprunteur est obligatoire."),
    ({"birth_date": "31/02/2011"}, "Saisissez une date au format jj/mm/aaaa, par exemple 14/03/2013."),
    ({"birth_date": "01/01/1850"},
     "La date de naissance doit être comprise entre 01/01/1900 et aujourd'hui."),
    ({"email": "marie@"}, "Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.fr."),
    ({"borrower_type": "Lecteur"}, "Sélectionnez un choix valide. Lecteur n’en fait pas partie."),
])
def test_an_invalid_edit_is_refused_with_a_french_message_and_changes_nothing(
        signed_in, base, changes, message):
    before = borrower_rows()
    dupont = base["dupont"]

    response = signed_in.post(detail_url(dupont), edit_data(dupont, status="Élève", **changes))

    page = text(response)
    assert response.status_code == 400
    assert "La fiche n'a pas été enregistrée : corrigez les champs signalés." in page
    assert message in page
    assert "<h1>DUPONT Marie <small>(n° 1)</small></h1>" in page  # the record, not the refused values
    assert borrower_rows() == before


def test_the_type_of_a_temporary_borrower_is_shown_but_not_editable(signed_in, base):
    response = signed_in.get(detail_url(base["roux"]))

    page = text(response)
    assert 'name="borrower_type"' not in page
    assert "le type d'un usager temporaire ne peut pas être modifié" in page
    assert '<dd data-testid="borrower-type">Usager temporaire</dd>' in page
    assert '<dd data-testid="ent-identity">ENT000042</dd>' in page


def test_posting_a_new_type_for_a_temporary_borrower_is_refused_and_changes_nothing(signed_in, base):
    before = borrower_rows()
    roux = base["roux"]

    response = signed_in.post(detail_url(roux), edit_data(roux, name="ROUX Ninon", borrower_type="Usager"))

    assert response.status_code == 400
    assert "Le type d'emprunteur d'un usager temporaire ne peut pas être modifié." in text(response)
    assert borrower_rows() == before


def test_the_refusal_is_in_english_when_english_is_chosen(signed_in, base):
    before = borrower_rows()
    roux = base["roux"]
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = signed_in.post(detail_url(roux), edit_data(roux, name="ROUX Ninon", borrower_type="Usager"))

    assert response.status_code == 400
    assert "A temporary user's borrower type cannot be changed." in text(response)
    assert "ne peut pas être modifié." not in text(response).split('data-testid="edit-error">', 1)[1][:200]
    assert borrower_rows() == before


def test_an_edit_on_the_page_is_journalled_with_the_librarian(signed_in, base, librarian):
    dupont = base["dupont"]

    signed_in.post(detail_url(dupont), edit_data(dupont, status="Élève", school_class="3eB"))

    assert list(LibraryEvent.objects.values_list("action", "actor_id", "borrower_id", "detail")) == [
        (EventAction.BORROWER_EDIT, librarian.pk, dupont.pk, f"n° {dupont.number} : statut, classe")]


def test_a_temporary_borrower_keeps_its_type_when_its_other_fields_are_corrected(signed_in, base):
    roux = base["roux"]
    data = edit_data(roux, name="ROUX Ninon")
    del data["borrower_type"]

    signed_in.post(detail_url(roux), data)

    roux.refresh_from_db()
    assert (roux.name, roux.borrower_type) == ("ROUX Ninon", BorrowerType.TEMPORARY)


def test_saving_an_unchanged_record_says_so_and_writes_nothing(signed_in, base):
    before = borrower_rows()
    dupont = base["dupont"]

    response = signed_in.post(detail_url(dupont), edit_data(dupont), follow=True)

    assert "Aucune modification." in text(response)
    assert borrower_rows() == before


# --- In a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_librarian_searches_with_the_keyboard_and_opens_a_borrower(live_server, page, librarian, base):
    page.goto(f"{live_server.url}/bibliotheque/connexion/")
    page.get_by_label("Identifiant").fill("documentaliste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation").get_by_role("link", name="Rechercher").click()

    field = page.get_by_label("Équation de recherche")
    field.fill("Statut=Elève ET")
    field.press("Enter")
    assert page.get_by_role("alert").inner_text().startswith("Équation incorrecte, caractère 14")

    page.get_by_label("Équation de recherche").fill("Type d'emprunteur=Usager temporaire")
    page.get_by_role("button", name="Rechercher").click()
    assert page.get_by_test_id("result-count").inner_text() == "1 emprunteur trouvé."
    page.get_by_role("link", name="ROUX Nina").click()

    assert page.get_by_role("heading", level=1).inner_text() == "ROUX Nina (n° 6)"
    assert page.get_by_test_id("borrower-type").inner_text() == "Usager temporaire"
    assert page.get_by_label("Type d'emprunteur").count() == 0
