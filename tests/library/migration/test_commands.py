"""Migration from an existing library: add_establishment, import_borrowers, import_loans (SPEC §2).

The file formats are a contract. Every refusal is checked twice: the French message, listing
every problem with its line, and that the base is exactly as before (nothing half-imported).
"""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sesame.library.migration.files import read_borrowers_csv, read_loans_csv
from sesame.library.models import Borrower, BorrowerType, Copy, CopyStatus, Library, Loan, Record

DATA = Path(__file__).resolve().parents[2] / "data" / "library"
BORROWERS_FILE = DATA / "emprunteurs.csv"
LOANS_FILE = DATA / "prets.csv"
UAI = "9990001X"
OTHER_UAI = "0752345S"
TODAY = date(2026, 1, 20)
BORROWERS_HEADER = "numero;emprunteur;statut;classe;date_naissance;identite_ent;type_emprunteur;mel"
LOANS_HEADER = "numero_emprunteur;code_barre;titre;date_pret;date_retour_prevue"


@pytest.fixture(autouse=True)
def today(clock):
    clock.set_today(TODAY)


@pytest.fixture
def library(db) -> Library:
    return Library.objects.create(uai=UAI, name="Collège d'essai")


@pytest.fixture
def other_library(db) -> Library:
    """Another school's base, whose numbers and barcodes must not get in the way."""
    other = Library.objects.create(uai=OTHER_UAI, name="Lycée voisin")
    borrower = Borrower.objects.create(library=other, number=1, name="AUTRE Élève", status="Elève",
                                       ent_identity="ENT0000417")
    record = Record.objects.create(library=other, title="Le Petit Prince")
    copy = Copy.objects.create(library=other, record=record, barcode="000101", status=CopyStatus.ON_LOAN)
    Loan.objects.create(library=other, copy=copy, borrower=borrower, loaned_on=date(2025, 12, 1),
                        due_on=date(2025, 12, 15))
    return other


def run(command: str, *args: str, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue().strip()


def refused(command: str, *args: str, **options) -> str:
    with pytest.raises(CommandError) as caught:
        run(command, *args, **options)
    return str(caught.value)


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def snapshot() -> tuple:
    """Everything a migration may touch, in a comparable form."""
    return (
        sorted(Library.objects.values_list("uai", "name")),
        sorted(Borrower.objects.values_list(
            "library__uai", "number", "name", "status", "school_class", "birth_date", "email",
            "borrower_type", "ent_identity",
        )),
        sorted(Record.objects.values_list("library__uai", "title")),
        sorted(Copy.objects.values_list("library__uai", "barcode", "record__title", "status")),
        sorted(Loan.objects.values_list(
            "library__uai", "copy__barcode", "borrower__number", "borrower_status", "borrower_class",
            "loaned_on", "due_on", "returned_on",
        )),
    )


def borrower_rows(library: Library) -> list[tuple]:
    return list(Borrower.objects.filter(library=library).order_by("number").values_list(
        "number", "name", "status", "school_class", "birth_date", "email", "borrower_type", "ent_identity",
    ))


# --- add_establishment --------------------------------------------------------------------------


def test_add_establishment_creates_the_library(db):
    assert run("add_establishment", "9990001x", "--name", "  Collège   Jean Moulin ") == (
        "Bibliothèque 9990001X créée : « Collège Jean Moulin »."
    )
    assert list(Library.objects.values_list("uai", "name")) == [("9990001X", "Collège Jean Moulin")]


def test_add_establishment_again_renames_or_says_nothing_changed(library):
    assert run("add_establishment", UAI, "--name", "Collège d'essai") == (
        "La bibliothèque 9990001X existe déjà sous le nom « Collège d'essai » : rien à changer."
    )
    assert run("add_establishment", UAI, "--name", "Collège Jean Moulin") == (
        "La bibliothèque 9990001X existait déjà : son nom passe de « Collège d'essai » à « Collège Jean "
        "Moulin »."
    )
    assert list(Library.objects.values_list("uai", "name")) == [("9990001X", "Collège Jean Moulin")]


NOT_A_UAI = "n'est pas un code UAI valide : il faut 7 chiffres suivis de la lettre de contrôle"


@pytest.mark.parametrize(("uai", "name", "message"), [
    ("9990001A", "Collège",
     "« 9990001A » n'est pas un code UAI valide : avec les chiffres 9990001, la lettre de contrôle est X, "
     "pas A. Rien n'a été modifié."),
    ("999001X", "Collège", f"« 999001X » {NOT_A_UAI} (par exemple 0752345S). Rien n'a été modifié."),
    ("", "Collège", f"«  » {NOT_A_UAI} (par exemple 0752345S). Rien n'a été modifié."),
    (UAI, "   ", "Le nom de l'établissement est vide. Rien n'a été modifié."),
    (UAI, "x" * 201,
     "Le nom de l'établissement est trop long (201 caractères, 200 au plus). Rien n'a été modifié."),
])
def test_add_establishment_refuses(library, uai, name, message):
    before = snapshot()
    assert refused("add_establishment", uai, "--name", name) == message
    assert snapshot() == before


# --- import_borrowers: success ------------------------------------------------------------------

EXPECTED_BORROWERS = [
    (1, "LEFÈVRE Chloé", "Elève", "6eA", date(2014, 5, 14), "", "Usager", ""),
    (2, "N'DIAYE Moussa", "Elève", "6eA", date(2014, 9, 2), "", "Usager", ""),
    (3, "DUPONT, Marie", "Elève", "3 J2", date(2011, 11, 30), "", "Usager", ""),
    (4, "Mme MARTIN", "Enseignant", "", None, "claire.martin@ac-exemple.fr", "Usager", ""),
    (5, "DE LA FONTAINE Jean-Baptiste", "Enseignant", "", date(1975, 3, 12), "jb.delafontaine@ac-exemple.fr",
     "Usager", "ENT0000900"),
    (7, "MÜLLER Zoé", "élève", "3eA", date(2011, 1, 7), "", "Usager", "ENT0000417"),
    (8, "SACRÉ-CŒUR Anne", "Elève", "3eB", date(2011, 2, 1), "", "Usager temporaire", ""),
    (9, "OULD-BRAHIM Karim", "Personnel", "", None, "", "Usager", ""),
    (10, "LIVRE Léa", "Documentaliste", "", date(1988, 6, 23), "lea.livre@ac-exemple.fr", "Usager",
     "ENT0000950"),
    (12, "BERNARD Paul", "", "", None, "", "Usager", ""),
    (13, "DURAND Claire", "CPE", "", None, "claire.durand@ac-exemple.fr", "Usager", ""),
    (14, "O'BRIEN Kévin", "", "4eC", date(2012, 10, 15), "", "Usager", ""),
]


def test_import_borrowers(library, other_library):
    other_before = snapshot()
    output = run("import_borrowers", "--uai", "9990001x", str(BORROWERS_FILE))
    assert output.splitlines() == [
        "Bibliothèque 9990001X (Collège d'essai) : 12 emprunteur(s) importé(s).",
        "2 ligne(s) sans numéro : numéros 13 à 14 attribués.",
        "1 usager(s) temporaire(s).",
        "Statuts : Elève (4), (vide) (2), Enseignant (2), CPE (1), Documentaliste (1), Personnel (1), élève "
        "(1).",
        "Attention : 2 emprunteur(s) sans statut. Complétez-les avant la première mise à jour depuis l'ENT "
        "(équation de recherche « Statut= »).",
        "Attention : un même statut est écrit de plusieurs façons : « Elève » (4), « élève » (1). "
        "Harmonisez-les.",
    ]
    assert borrower_rows(library) == EXPECTED_BORROWERS
    assert Borrower.objects.get(library=library, number=8).borrower_type == BorrowerType.TEMPORARY
    assert all(borrower.created_at and borrower.updated_at for borrower in Borrower.objects.all())
    # The other school's base is untouched (its borrower n° 1 and identity ENT0000417 did not conflict).
    assert [row for row in snapshot()[1] if row[0] == OTHER_UAI] == [
        row for row in other_before[1] if row[0] == OTHER_UAI
    ]


def test_import_borrowers_next_to_existing_ones(library, tmp_path):
    Borrower.objects.create(library=library, number=40, name="ANCIEN Élève", status="Elève")
    file = write(tmp_path, "suite.csv", f"{BORROWERS_HEADER}\n;NOUVEAU Nom;Elève;6eB;;;;\n"
                                        "2;AUTRE Nom;;;;;;\n")
    assert run("import_borrowers", "--uai", UAI, file).splitlines()[:2] == [
        "Bibliothèque 9990001X (Collège d'essai) : 2 emprunteur(s) importé(s).",
        "1 ligne(s) sans numéro : numéros 41 attribués.",
    ]
    assert [row[:3] for row in borrower_rows(library)] == [
        (2, "AUTRE Nom", ""), (40, "ANCIEN Élève", "Elève"), (41, "NOUVEAU Nom", "Elève"),
    ]


def test_import_borrowers_header_as_a_spreadsheet_writes_it(library, tmp_path):
    """Capitals, accents, spaces, another column order and a trailing ``;`` are the same columns."""
    file = write(tmp_path, "tableur.csv", (
        "\ufeffEmprunteur;Numéro;Statut;Classe;Date naissance;Identité ENT;Type emprunteur;Mel;\r\n"
        "PETIT Jules;5;Elève;5eB;03/04/2013;;USAGER TEMPORAIRE;;\r\n"
    ))
    run("import_borrowers", "--uai", UAI, file)
    assert borrower_rows(library) == [
        (5, "PETIT Jules", "Elève", "5eB", date(2013, 4, 3), "", "Usager temporaire", ""),
    ]


def test_import_three_thousand_borrowers(library, tmp_path):
    lines = [BORROWERS_HEADER] + [
        f"{number};NOM{number} Prénom{number};Elève;{3 + number % 4}e{'ABCDEFG'[number % 7]};"
        f"{1 + number % 28:02d}/{1 + number % 12:02d}/{2010 + number % 4};ENT{number:07d};;"
        for number in range(1, 3001)
    ]
    file = write(tmp_path, "college.csv", "\n".join(lines) + "\n")
    assert run("import_borrowers", "--uai", UAI, file).splitlines()[0] == (
        "Bibliothèque 9990001X (Collège d'essai) : 3000 emprunteur(s) importé(s)."
    )
    assert Borrower.objects.filter(library=library).count() == 3000
    assert borrower_rows(library)[2999] == (
        3000, "NOM3000 Prénom3000", "Elève", "3eE", date(2010, 1, 5), "", "Usager", "ENT0003000",
    )


# --- import_borrowers: refusals -----------------------------------------------------------------


def test_refuses_a_file_with_bad_rows_listing_every_problem(library, tmp_path):
    Borrower.objects.create(library=library, number=12, name="DÉJÀ Là", ent_identity="ENT0000999")
    before = snapshot()
    file = write(tmp_path, "erreurs.csv", "\n".join([
        BORROWERS_HEADER,
        "1;LEFÈVRE Chloé;Elève;6eA;14/05/2014;;;",
        "12;MARTIN Lucas;Elève;6eB;;;;",
        "4;;Elève;6eB;;;;",
        "12a;PETIT Jules;Elève;6eB;;;;",
        "0;GRAND Léo;Elève;6eB;;;;",
        "6;DUPONT Marie;Elève;3eA;31/02/2010;;;",
        "1;LEFÈVRE Chloé;Elève;6eA;14/05/2014;;;",
        "8;ROUX Inès;Elève;6eA;2014-05-14;;Visiteur;ines@",
        "9;BLANC Noé;Elève;5eC;;ENT0000999;;",
        "10;NOIR Léna;Elève;5eC;;ENT0000001;;",
        "11;VERT Tom;Elève;5eC;;ENT0000001;;",
        "13;ROSE Ana;Elève;5eC",
        "14;GRIS Luc;Elève;5eC;;ENT 2;;;en trop",
        "15;BRUN Eva;Elève;5eC;01/01/1850;;;",
    ]) + "\n")
    message = refused("import_borrowers", "--uai", UAI, file)
    assert message.splitlines()[0] == "Fichier refusé (14 problème(s)), rien n'a été importé."
    assert message.splitlines()[1:] == [
        "Ligne 3 : numéro d'emprunteur 12 déjà présent dans la base.",
        "Ligne 4 : nom de l'emprunteur manquant (colonne emprunteur).",
        "Ligne 5 : numéro d'emprunteur « 12a » invalide (attendu un nombre entier positif, ou rien pour "
        "prendre le numéro suivant).",
        "Ligne 6 : numéro d'emprunteur « 0 » invalide (attendu un nombre entier positif, ou rien pour "
        "prendre le numéro suivant).",
        "Ligne 7 : date de naissance « 31/02/2010 » invalide (attendu jj/mm/aaaa).",
        "Ligne 8 : numéro d'emprunteur 1 déjà donné à la ligne 2.",
        "Ligne 9 : date de naissance « 2014-05-14 » invalide (attendu jj/mm/aaaa).",
        "Ligne 9 : type d'emprunteur « Visiteur » inconnu (attendu « Usager », « Usager temporaire » ou "
        "rien).",
        "Ligne 9 : adresse électronique « ines@ » invalide.",
        "Ligne 10 : identité ENT « ENT0000999 » déjà présente dans la base (emprunteur n° 12, DÉJÀ Là).",
        "Ligne 12 : identité ENT « ENT0000001 » déjà donnée à la ligne 11.",
        "Ligne 13 : 4 champ(s) au lieu de 8 (vérifiez les « ; » de la ligne).",
        "Ligne 14 : 9 champ(s) au lieu de 8 (vérifiez les « ; » de la ligne).",
        "Ligne 15 : date de naissance « 01/01/1850 » invalide (attendu jj/mm/aaaa).",
    ]
    assert snapshot() == before


def test_refuses_a_number_already_in_the_base(library, tmp_path):
    Borrower.objects.create(library=library, number=12, name="DÉJÀ Là")
    before = snapshot()
    file = write(tmp_path, "e.csv", f"{BORROWERS_HEADER}\n1;A B;Elève;;;;;\n12;C D;Elève;;;;;\n")
    assert refused("import_borrowers", "--uai", UAI, file) == (
        "Fichier refusé (1 problème(s)), rien n'a été importé.\n"
        "Ligne 3 : numéro d'emprunteur 12 déjà présent dans la base."
    )
    assert snapshot() == before


def test_refuses_missing_columns(library, tmp_path):
    before = snapshot()
    file = write(tmp_path, "e.csv", "numero;emprunteur;statut;classe;date_naissance;type;mel\n1;A B;;;;;\n")
    assert refused("import_borrowers", "--uai", UAI, file) == (
        "Fichier refusé (3 problème(s)), rien n'a été importé.\n"
        "Ligne 1 : colonne(s) manquante(s) : identite_ent, type_emprunteur.\n"
        "Ligne 1 : colonne(s) inconnue(s) : type.\n"
        f"Ligne 1 : en-tête attendu : {BORROWERS_HEADER}."
    )
    file = write(tmp_path, "virgules.csv", BORROWERS_HEADER.replace(";", ",") + "\n1,A B,,,,,,\n")
    assert refused("import_borrowers", "--uai", UAI, file) == (
        "Fichier refusé (3 problème(s)), rien n'a été importé.\n"
        "Ligne 1 : colonne(s) manquante(s) : numero, emprunteur, statut, classe, date_naissance, "
        "identite_ent, "
        "type_emprunteur, mel (le séparateur doit être « ; »).\n"
        f"Ligne 1 : colonne(s) inconnue(s) : {BORROWERS_HEADER.replace(';', ',')}.\n"
        f"Ligne 1 : en-tête attendu : {BORROWERS_HEADER}."
    )
    assert snapshot() == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Ligne 1 : le fichier est vide, la ligne d'en-tête manque."),
    (f"{BORROWERS_HEADER}\n\n".encode(), "Ligne 1 : le fichier ne contient aucun emprunteur (seulement "
                                         "l'en-tête)."),
    (f"{BORROWERS_HEADER}\n1;LEF\xc8VRE Chlo\xe9;;;;;;\n".encode("cp1252"),
     "Ligne 2 : le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis le tableur)."),
    (f'{BORROWERS_HEADER}\n1;"DUPONT" Marie;;;;;;\n2;"MARTIN;;;;;;\n'.encode(),
     "Ligne 2 : ligne illisible (guillemet mal placé : un texte entre guillemets doit être suivi de « ; »).\n"
     "Ligne 3 : ligne illisible (guillemet ouvert jamais fermé)."),
])
def test_refuses_unreadable_files(library, tmp_path, content, message):
    before = snapshot()
    file = write(tmp_path, "e.csv", content)
    count = message.count("\n") + 1
    assert refused("import_borrowers", "--uai", UAI, file) == (
        f"Fichier refusé ({count} problème(s)), rien n'a été importé.\n{message}"
    )
    assert snapshot() == before


def test_refuses_an_unknown_library_or_file(library, tmp_path):
    before = snapshot()
    assert refused("import_borrowers", "--uai", OTHER_UAI, str(BORROWERS_FILE)) == (
        "Aucune bibliothèque n'a l'UAI 0752345S : créez-la d'abord avec « python manage.py add_establishment "
        "0752345S --name \"Nom de l'établissement\" ». Rien n'a été importé."
    )
    assert refused("import_borrowers", "--uai", "0750001B", str(BORROWERS_FILE)) == (
        "« 0750001B » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle). Rien n'a été "
        "importé."
    )
    missing = str(tmp_path / "absent.csv")
    assert refused("import_borrowers", "--uai", UAI, missing) == (
        f"Fichier introuvable : {missing}. Rien n'a été importé."
    )
    assert refused("import_borrowers", "--uai", UAI, str(tmp_path)) == (
        f"« {tmp_path} » est un dossier, pas un fichier. Rien n'a été importé."
    )
    assert snapshot() == before


# --- import_loans -------------------------------------------------------------------------------


@pytest.fixture
def borrowers(library):
    run("import_borrowers", "--uai", UAI, str(BORROWERS_FILE))
    return library


def test_import_loans(borrowers, other_library):
    library = borrowers
    shelf = Record.objects.create(library=library, title="Le Lion")
    Copy.objects.create(library=library, record=shelf, barcode="000200", status=CopyStatus.AVAILABLE)
    output = run("import_loans", "--uai", UAI, str(LOANS_FILE))
    assert output.splitlines() == [
        "Bibliothèque 9990001X (Collège d'essai) : 5 prêt(s) en cours importé(s) pour 5 emprunteur(s).",
        "4 exemplaire(s) et 3 notice(s) créé(s) ; 1 exemplaire(s) déjà au catalogue.",
        "3 prêt(s) déjà en retard au 20/01/2026.",
    ]
    assert sorted(Record.objects.filter(library=library).values_list("title", flat=True)) == [
        "Contes et légendes de la mythologie grecque", "Harry Potter à l'école des sorciers", "Le Lion",
        "Le Petit Prince",
    ]
    assert list(Copy.objects.filter(library=library).order_by("barcode").values_list(
        "barcode", "record__title", "status"
    )) == [
        ("000101", "Le Petit Prince", "prêté"),
        ("000102", "Harry Potter à l'école des sorciers", "prêté"),
        ("000103", "Le Petit Prince", "prêté"),
        ("000104", "Contes et légendes de la mythologie grecque", "prêté"),
        ("000200", "Le Lion", "prêté"),
    ]
    assert list(Loan.objects.filter(library=library).order_by("copy__barcode").values_list(
        "copy__barcode", "borrower__number", "borrower__name", "borrower_status", "borrower_class",
        "loaned_on", "due_on", "returned_on",
    )) == [
        ("000101", 1, "LEFÈVRE Chloé", "Elève", "6eA", date(2025, 9, 15), date(2025, 9, 29), None),
        ("000102", 2, "N'DIAYE Moussa", "Elève", "6eA", date(2025, 10, 1), date(2025, 10, 15), None),
        ("000103", 8, "SACRÉ-CŒUR Anne", "Elève", "3eB", date(2025, 6, 10), date(2025, 6, 24), None),
        ("000104", 4, "Mme MARTIN", "Enseignant", "", date(2026, 1, 5), date(2026, 2, 5), None),
        ("000200", 3, "DUPONT, Marie", "Elève", "3 J2", date(2026, 1, 12), date(2026, 1, 26), None),
    ]
    assert Record.objects.get(library=library, title="Le Petit Prince").copies.count() == 2
    # The other school's copy 000101 and its loan are untouched.
    other_copy = Copy.objects.get(library=other_library, barcode="000101")
    assert other_copy.loans.get().borrower.name == "AUTRE Élève"


def test_refuses_loans_with_bad_rows_listing_every_problem(borrowers, tmp_path):
    library = borrowers
    record = Record.objects.create(library=library, title="Le Lion")
    out = Copy.objects.create(library=library, record=record, barcode="000300", status=CopyStatus.ON_LOAN)
    Loan.objects.create(library=library, copy=out, borrower=Borrower.objects.get(library=library, number=9),
                        borrower_status="Personnel", loaned_on=date(2026, 1, 8), due_on=date(2026, 1, 22))
    before = snapshot()
    file = write(tmp_path, "prets.csv", "\n".join([
        LOANS_HEADER,
        "1;000101;Le Petit Prince;2025-09-15;2025-09-29",
        "99;000102;Harry Potter;2025-10-01;2025-10-15",
        "2;000103;Le Petit Prince;2025-10-10;2025-10-01",
        "3;000300;Le Lion;2025-12-01;2025-12-15",
        "4;000101;Le Petit Prince;2025-09-15;2025-09-29",
        "5;000104;;2025-09-15;2025-09-29",
        "7;000105;Titre;15/09/2025;2025-09-31",
        ";000106;Titre;2025-09-15;2025-09-29",
        "x7;;Titre;2025-09-15;2025-09-29",
    ]) + "\n")
    message = refused("import_loans", "--uai", UAI, file)
    assert message.splitlines() == [
        "Fichier refusé (10 problème(s)), rien n'a été importé.",
        "Ligne 3 : emprunteur n° 99 inconnu dans la base (importez d'abord les emprunteurs).",
        "Ligne 4 : date de retour prévue « 2025-10-01 » antérieure à la date de prêt « 2025-10-10 ».",
        "Ligne 5 : l'exemplaire « 000300 » est déjà en prêt dans la base (emprunteur n° 9, prêté le "
        "08/01/2026).",
        "Ligne 6 : l'exemplaire « 000101 » est déjà prêté à la ligne 2 (un exemplaire n'a qu'un prêt en "
        "cours).",
        "Ligne 7 : code-barre « 000104 » inconnu et titre vide : indiquez le titre pour créer l'exemplaire.",
        "Ligne 8 : date de prêt « 15/09/2025 » invalide (attendu aaaa-mm-jj).",
        "Ligne 8 : date de retour prévue « 2025-09-31 » invalide (attendu aaaa-mm-jj).",
        "Ligne 9 : numéro d'emprunteur manquant.",
        "Ligne 10 : numéro d'emprunteur « x7 » invalide (attendu un nombre entier positif).",
        "Ligne 10 : code-barre manquant.",
    ]
    assert snapshot() == before


def test_refuses_loans_for_an_unknown_borrower(borrowers, tmp_path):
    before = snapshot()
    file = write(tmp_path, "prets.csv", f"{LOANS_HEADER}\n1;000101;Le Petit Prince;2025-09-15;2025-09-29\n"
                                        "6;000102;Harry Potter;2025-10-01;2025-10-15\n")
    assert refused("import_loans", "--uai", UAI, file) == (
        "Fichier refusé (1 problème(s)), rien n'a été importé.\n"
        "Ligne 3 : emprunteur n° 6 inconnu dans la base (importez d'abord les emprunteurs)."
    )
    assert snapshot() == before


def test_refuses_loans_file_with_missing_columns_or_unknown_library(borrowers, tmp_path):
    before = snapshot()
    file = write(tmp_path, "prets.csv", "numero_emprunteur;code_barre;date_pret\n1;000101;2025-09-15\n")
    assert refused("import_loans", "--uai", UAI, file) == (
        "Fichier refusé (2 problème(s)), rien n'a été importé.\n"
        "Ligne 1 : colonne(s) manquante(s) : titre, date_retour_prevue.\n"
        f"Ligne 1 : en-tête attendu : {LOANS_HEADER}."
    )
    assert refused("import_loans", "--uai", OTHER_UAI, str(LOANS_FILE)) == (
        "Aucune bibliothèque n'a l'UAI 0752345S : créez-la d'abord avec « python manage.py add_establishment "
        "0752345S --name \"Nom de l'établissement\" ». Rien n'a été importé."
    )
    assert snapshot() == before


def test_loans_the_same_day_are_fine_and_an_empty_file_is_refused(borrowers, tmp_path):
    file = write(tmp_path, "vide.csv", f"{LOANS_HEADER}\n")
    assert refused("import_loans", "--uai", UAI, file) == (
        "Fichier refusé (1 problème(s)), rien n'a été importé.\n"
        "Ligne 1 : le fichier ne contient aucun prêt (seulement l'en-tête)."
    )
    file = write(tmp_path, "jour.csv", f"{LOANS_HEADER}\n10;X1;Atlas;2026-01-20;2026-01-20\n")
    assert run("import_loans", "--uai", UAI, file).splitlines() == [
        "Bibliothèque 9990001X (Collège d'essai) : 1 prêt(s) en cours importé(s) pour 1 emprunteur(s).",
        "1 exemplaire(s) et 1 notice(s) créé(s) ; 0 exemplaire(s) déjà au catalogue.",
    ]


# --- The readers alone (no database) ------------------------------------------------------------


def test_readers_keep_values_as_typed():
    parsed = read_borrowers_csv(BORROWERS_FILE.read_bytes())
    assert parsed.problems == ()
    assert [(row.line, row.number, row.name) for row in parsed.rows][-3:] == [
        (11, 12, "BERNARD Paul"), (12, None, "DURAND Claire"), (14, None, "O'BRIEN Kévin"),
    ]
    loans = read_loans_csv(LOANS_FILE.read_bytes())
    assert loans.problems == ()
    assert [(row.line, row.borrower_number, row.barcode, row.title) for row in loans.rows][-1] == (
        6, 3, "000200", "",
    )
