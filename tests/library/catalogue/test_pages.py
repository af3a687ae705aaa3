"""The catalogue pages: search, a record and its copies, the record and copy forms, the import page.

Every refusal is checked twice: the message the librarian reads on the page, and the catalogue
exactly as it was. (The import itself: ``test_marc_import.py``.)
"""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from sesame.library.catalogue.services import copy_add
from sesame.library.models import Copy, CopyStatus, Librarian, LibraryEvent, Record
from tests.library.factories import OTHER_UAI, UAI, catalogue_dump, marc_field, marc_file, marc_record

PASSWORD = "motdepasse-test"
NEXT_YEAR = timezone.localdate().year + 1
IMPLAUSIBLE_YEAR = f"Année invraisemblable : saisissez une année entre 1450 et {NEXT_YEAR}."
PRINCE_ISBN_TAKEN = ("L'ISBN 9782070612758 est déjà celui de la notice « Le Petit Prince » : ajoutez-y "
                     "plutôt un exemplaire.")
ON_LOAN = ("L'exemplaire 00100005 est prêté : son statut se change dans la gestion du prêt, par son retour "
           "ou en le déclarant perdu (ce qui clôt le prêt).")


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def alert_of(response) -> str:
    """The text of the page's ``role="alert"`` block, spaces collapsed."""
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "no role=alert on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())



# --- Pages --------------------------------------------------------------------------------------


def test_the_menu_has_the_catalogue(signed_in, library):
    response = signed_in.get(reverse("library:dashboard", args=[UAI]))

    page = text_of(response)
    assert '<span>Catalogue</span>' in page
    for name, label in (("record_search", "Consulter le catalogue"), ("record_create", "Créer une notice"),
                        ("marc_import", "Importer des notices")):
        assert f'<a href="{reverse(f"library:{name}", args=[UAI])}">{label}</a>' in page


def test_search_page_lists_the_matches(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]),
                             {"q": "amitie", "field": "subjects"})

    assert response.status_code == 200
    page = text_of(response)
    assert '<p role="status" data-testid="result-count">2 notices trouvées.</p>' in page
    rows = re.findall(r"<tr>\s*<td><a href=\"[^\"]+\">([^<]+)</a></td>.*?<td>([^<]*)</td>\s*</tr>",
                      page, re.S)
    assert rows == [("L'Œil du loup", "1 / 1"), ("Le Petit Prince", "1 / 4")]


def test_search_page_without_words_lists_the_whole_catalogue_by_title(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]))

    titles = re.findall(r"<td><a href=\"/bibliotheque/[^\"]+\">([^<]+)</a></td>", text_of(response))
    assert titles == ["Arsène Lupin, gentleman-cambrioleur", "L'Œil du loup", "Le Petit Prince",
                      "Les volcans"]


def test_search_page_says_when_nothing_matches(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]), {"q": "dragon"})

    assert '<p role="status" data-testid="result-count">Aucune notice trouvée.</p>' in text_of(response)


def test_search_page_is_paginated_and_keeps_the_query(signed_in, library):
    Record.objects.bulk_create([Record(library=library, title=f"Contes du monde {n:03d}")
                                for n in range(1, 121)])
    url = reverse("library:record_search", args=[UAI])

    first = text_of(signed_in.get(url, {"q": "contes"}))
    third = text_of(signed_in.get(url, {"q": "contes", "page": 3}))

    assert "120 notices trouvées." in first
    assert "Page 1 sur 3" in first and 'href="?q=contes&field=all&page=2" rel="next"' in first
    assert re.findall(r">(Contes du monde \d+)<", third) == [
        f"Contes du monde {n:03d}" for n in range(101, 121)]


def test_catalogue_pages_of_another_library_are_refused(client, other_library, library, shelf):
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other_library, user=user)
    client.force_login(user)

    for url in (reverse("library:record_search", args=[UAI]),
                reverse("library:record_detail", args=[UAI, shelf["prince"].pk]),
                reverse("library:marc_import", args=[UAI])):
        response = client.get(url)
        assert response.status_code == 403
        assert "Cette bibliothèque n'existe pas ou vous n'en êtes pas gestionnaire." in text_of(response)


def test_a_record_of_another_library_is_not_found(client, other_library, library, shelf):
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other_library, user=user)
    client.force_login(user)

    response = client.get(reverse("library:record_detail", args=[OTHER_UAI, shelf["prince"].pk]))

    assert response.status_code == 404
    assert (f'<p role="alert">Aucune notice n\'a le numéro {shelf["prince"].pk} dans cette bibliothèque.</p>'
            in text_of(response))


def test_the_record_page_shows_its_copies_and_their_status(signed_in, library, shelf, loaned_copy):
    copy_add(acting_user=None, library=library, record_id=shelf["loup"].pk, barcode="00100006",
             status="en réparation")

    response = signed_in.get(reverse("library:record_detail", args=[UAI, shelf["loup"].pk]))

    page = text_of(response)
    assert "<h1>L'Œil du loup</h1>" in page
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]*)</td>", page)
    due = loaned_copy.loans.get().due_on.strftime("%d/%m/%Y")
    assert rows == [("00100005", "prêté", f"à DUPONT Marie, retour prévu le {due}"),
                    ("00100006", "en réparation", "")]


def test_every_status_reads_in_french_on_the_record_page(signed_in, shelf):
    response = signed_in.get(reverse("library:record_detail", args=[UAI, shelf["prince"].pk]))

    statuses = re.findall(r"<tr>\s*<td>\d+</td>\s*<td>([^<]+)</td>", text_of(response))
    assert statuses == ["disponible", "en réparation", "perdu", "exclu du prêt"]


def test_create_page_has_labelled_fields(signed_in, library):
    response = signed_in.get(reverse("library:record_create", args=[UAI]))

    page = text_of(response)
    assert response.status_code == 200
    labels = (("title", "Titre"), ("authors", "Auteurs"), ("publisher", "Éditeur"), ("year", "Année"),
              ("isbn", "ISBN"), ("subjects", "Sujets"), ("support", "Support"), ("call_number", "Cote"))
    for name, label in labels:
        required = ' <span aria-hidden="true">*</span>' if name == "title" else ""
        assert f'<label for="id_{name}">{label}{required}</label>' in page
    assert 'aria-describedby="id_isbn_helptext"' in page


def test_create_page_refuses_an_isbn_with_a_wrong_key_and_keeps_what_was_typed(signed_in, library, shelf):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_create", args=[UAI]), {
        "title": "Vendredi ou la vie sauvage", "authors": "Tournier, Michel", "isbn": "978-2-07-051369-5",
        "year": "1977"})

    assert response.status_code == 400
    assert alert_of(response) == ("La notice n'a pas été enregistrée : "
                                  "ISBN invalide : la clé de contrôle devrait être 7.")
    page = text_of(response)
    assert ('<ul class="errorlist" id="id_isbn_error"><li>ISBN invalide : la clé de contrôle devrait être 7.'
            '</li></ul>') in page
    assert 'aria-invalid="true"' in page and 'value="Vendredi ou la vie sauvage"' in page
    assert catalogue_dump() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"title": ""}, "Le titre est obligatoire."),
    ({"year": "97"}, IMPLAUSIBLE_YEAR),
    ({"year": "deux mille"}, "Saisissez l'année en chiffres, par exemple 2019."),
    ({"isbn": "9782070612758"}, PRINCE_ISBN_TAKEN),
])
def test_create_page_refusals_change_nothing(signed_in, shelf, data, message):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_create", args=[UAI]), {"title": "Vendredi", **data})

    assert response.status_code == 400
    assert alert_of(response) == f"La notice n'a pas été enregistrée : {message}"
    assert catalogue_dump() == before


def test_create_page_saves_the_record_and_shows_it(signed_in, library):
    response = signed_in.post(reverse("library:record_create", args=[UAI]), {
        "title": "Vendredi ou la vie sauvage", "authors": "Tournier, Michel", "publisher": "Gallimard",
        "year": "1977", "isbn": "2-07-051369-6", "subjects": "Robinson ; Île", "support": "Livre",
        "call_number": "R TOU"}, follow=True)

    record = Record.objects.get(title="Vendredi ou la vie sauvage")
    assert response.redirect_chain == [(reverse("library:record_detail", args=[UAI, record.pk]), 303)]
    assert (record.isbn, record.year, record.call_number) == ("9782070513697", 1977, "R TOU")
    page = text_of(response)
    assert '<li class="success" role="status">Notice « Vendredi ou la vie sauvage » créée.</li>' in page
    assert ('<li class="info" role="status">ISBN à 10 chiffres enregistré sur 13 chiffres : 9782070513697.'
            '</li>') in page
    assert '<p data-testid="no-copies">Aucun exemplaire : ajoutez-en un avec son code-barre.</p>' in page


def test_edit_page_shows_the_record_and_saves_it(signed_in, shelf):
    url = reverse("library:record_edit", args=[UAI, shelf["loup"].pk])
    assert 'value="L&#x27;Œil du loup"' in signed_in.get(url).content.decode()

    response = signed_in.post(url, {"title": "L'Œil du loup", "authors": "Pennac, Daniel",
                                    "publisher": "Nathan", "year": "2013", "isbn": "978-2-09-255227-8",
                                    "subjects": "Zoo", "call_number": "R PEN"})

    assert response.status_code == 303
    assert Record.objects.filter(pk=shelf["loup"].pk).values_list("isbn", "subjects").get() == (
        "9782092552278", "Zoo")


def test_edit_page_refusal_changes_nothing(signed_in, shelf):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_edit", args=[UAI, shelf["loup"].pk]),
                              {"title": "L'Œil du loup", "isbn": "978-2-09-255227-0"})

    assert response.status_code == 400
    assert alert_of(response) == ("La notice n'a pas été enregistrée : "
                                  "ISBN invalide : la clé de contrôle devrait être 8.")
    assert catalogue_dump() == before


def test_add_copy_page_suggests_the_next_barcode_and_adds_the_copy(signed_in, library, shelf):
    url = reverse("library:record_detail", args=[UAI, shelf["volcans"].pk])
    assert 'name="copy-barcode" value="00100006"' in signed_in.get(url).content.decode()

    response = signed_in.post(url, {"copy-barcode": "00100006", "copy-status": "disponible"}, follow=True)

    assert response.redirect_chain == [(url, 303)]
    assert ('<li class="success" role="status">Exemplaire 00100006 ajouté (disponible).</li>'
            in text_of(response))
    assert list(Copy.objects.filter(record=shelf["volcans"]).values_list("barcode", "status")) == [
        ("00100006", "disponible")]


@pytest.mark.parametrize(("data", "message"), [
    ({"copy-barcode": "00100001", "copy-status": "disponible"}, "Le code-barre 00100001 existe déjà."),
    ({"copy-barcode": "", "copy-status": "disponible"}, "Le code-barre est obligatoire."),
    ({"copy-barcode": "12345", "copy-status": "prêté"}, "Statut d'exemplaire inconnu."),
])
def test_add_copy_page_refusals_change_nothing(signed_in, shelf, data, message):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_detail", args=[UAI, shelf["volcans"].pk]), data)

    assert response.status_code == 400
    assert alert_of(response) == f"L'exemplaire n'a pas été ajouté : {message}"
    assert catalogue_dump() == before


def test_copy_page_of_a_copy_on_loan_points_to_the_circulation_and_refuses_a_status(signed_in, loaned_copy):
    url = reverse("library:copy_edit", args=[UAI, loaned_copy.pk])
    page = text_of(signed_in.get(url))
    assert "Prêté à DUPONT Marie" in page
    assert f'<a href="{reverse("library:circulation_desk", args=[UAI])}">Prêt / retour</a>' in page
    before = catalogue_dump()

    response = signed_in.post(url, {"barcode": "00100005", "status": "perdu"})

    assert response.status_code == 400
    assert alert_of(response) == f"L'exemplaire n'a pas été enregistré : {ON_LOAN}"
    assert catalogue_dump() == before


def test_copy_page_changes_the_status_of_a_copy_on_the_shelf(signed_in, shelf):
    copy = Copy.objects.get(barcode="00100002")

    response = signed_in.post(reverse("library:copy_edit", args=[UAI, copy.pk]),
                              {"barcode": "00100002", "status": "disponible"}, follow=True)

    record_url = reverse("library:record_detail", args=[UAI, shelf["prince"].pk])
    assert response.redirect_chain == [(record_url, 303)]
    assert ('<li class="success" role="status">Exemplaire 00100002 enregistré (disponible).</li>'
            in text_of(response))
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.AVAILABLE


# --- The import page (the import itself: test_marc_import.py) ----------------------------------


def _unimarc_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    records = [
        marc_record(marc_field("010", "a", "978-2-07-051369-5"),
                    marc_field("200", "a", "Vendredi ou la vie sauvage", indicators="1 "),
                    marc_field("700", "a", "Tournier", "b", "Michel"),
                    marc_field("995", "f", "00200001", "k", "R TOU")),
        marc_record(marc_field("200", "e", "sans titre propre", indicators="1 ")),
    ]
    return SimpleUploadedFile("export-bcdi.iso", marc_file(records, encoding="latin-1"))


def test_import_page_imports_and_reports(signed_in, library):
    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": _unimarc_upload(), "format": ""})

    assert response.status_code == 200
    page = text_of(response)
    assert '<p data-testid="report-format">Format reconnu : UNIMARC (titres en zone 200).</p>' in page
    assert ('<p role="status" data-testid="report-summary">Notices lues : 2 — importées : 1 — déjà au '
            'catalogue : 0 — ignorées : 1 — exemplaires ajoutés : 1.</p>') in page
    assert re.findall(r'<li class="report-\w+">([^<]+)</li>', page) == [
        "Notice 1 : ISBN « 978-2-07-051369-5 » non repris — ISBN invalide : la clé de contrôle devrait être "
        "7. La notice est importée sans ISBN.",
        "Notice 2 : pas de titre (200$a) — ignorée.",
    ]
    assert list(Record.objects.values_list("title", "authors", "isbn", "call_number")) == [
        ("Vendredi ou la vie sauvage", "Tournier, Michel", "", "R TOU")]

    download = signed_in.get(reverse("library:marc_import_report", args=[UAI]))
    assert download["Content-Disposition"] == 'attachment; filename="rapport-import-export-bcdi.txt"'
    assert download.content.decode().splitlines() == [
        "Import de notices — export-bcdi.iso",
        "Format reconnu : UNIMARC (titres en zone 200).",
        "Encodage des caractères : ASCII.",
        "Notices lues : 2 — importées : 1 — déjà au catalogue : 0 — ignorées : 1 — exemplaires ajoutés : 1.",
        "",
        "Notice 1 : ISBN « 978-2-07-051369-5 » non repris — ISBN invalide : la clé de contrôle devrait être "
        "7. La notice est importée sans ISBN.",
        "Notice 2 : pas de titre (200$a) — ignorée.",
    ]


def test_import_page_simulation_writes_nothing(signed_in, library):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": _unimarc_upload(), "format": "unimarc", "dry_run": "on"})

    page = text_of(response)
    assert "<strong>Simulation : rien n'a été enregistré.</strong>" in page
    assert '<p data-testid="report-format">Format indiqué : UNIMARC.</p>' in page
    assert "importées : 1" in page
    assert catalogue_dump() == before


@pytest.mark.parametrize(("content", "message"), [
    (b"Titre;Auteur\nLe Petit Prince;Saint-Exupery\n",
     "Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune notice importée."),
    (b'<?xml version="1.0"?><collection/>',
     "Ce fichier est du XML (MARCXML ?), pas un fichier ISO 2709 : exportez les notices au format UNIMARC ou "
     "MARC21 « ISO 2709 ». Aucune notice importée."),
    (b"   \n", "Le fichier est vide : aucune notice importée."),
])
def test_import_page_refuses_a_file_that_is_not_marc(signed_in, shelf, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = catalogue_dump()

    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": SimpleUploadedFile("notices.csv", content)})

    assert response.status_code == 400
    assert alert_of(response) == f"Aucune notice n'a été importée : {message}"
    assert 'data-testid="import-report"' not in response.content.decode()
    assert catalogue_dump() == before


def test_import_page_without_a_file(signed_in, library):
    response = signed_in.post(reverse("library:marc_import", args=[UAI]), {"format": ""})

    assert response.status_code == 400
    assert alert_of(response) == ("Aucune notice n'a été importée : "
                                  "Choisissez le fichier de notices à importer.")


def test_report_download_without_an_import(signed_in, library):
    response = signed_in.get(reverse("library:marc_import_report", args=[UAI]))

    assert response.status_code == 404
    assert ("Aucun rapport d'import à télécharger : importez d'abord un fichier de notices."
            in text_of(response))


def test_a_refusal_reads_in_english_when_english_is_chosen(signed_in, shelf, english):
    signed_in.cookies["django_language"] = "en"
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_detail", args=[UAI, shelf["volcans"].pk]),
                              {"copy-barcode": "00100001", "copy-status": "disponible"})

    assert response.status_code == 400
    assert alert_of(response) == "The copy was not added: Barcode 00100001 already exists."
    assert catalogue_dump() == before


def test_the_pages_record_the_librarian_in_the_journal(signed_in, librarian, library, shelf):
    signed_in.post(reverse("library:record_detail", args=[UAI, shelf["volcans"].pk]),
                   {"copy-barcode": "00100006", "copy-status": "disponible"})

    line = LibraryEvent.objects.filter(library=library).latest("pk")
    assert (line.action, line.actor, line.copy.barcode) == ("copy_add", librarian, "00100006")
