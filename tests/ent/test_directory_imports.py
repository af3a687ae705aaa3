"""Feeding the ENT directory: SIECLE pupils, STS staff and the local CSV of parents and staff.

Every refusal is checked twice: the French message, and that the directory is exactly as before.
"""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sesame.ent.models import Establishment, Level, Person, Profile, SchoolClass
from sesame.ent.people_csv import read_people_csv
from tests.factories import make_establishment, make_person

DATA = Path(__file__).resolve().parents[1] / "data"
SIECLE_FILE = DATA / "siecle" / "ElevesSansAdresses.xml"
STS_FILE = DATA / "sts" / "sts_emp_0693456G_2025.xml"
UAI = "0693456G"
OTHER_UAI = "0752345S"
TODAY = date(2026, 1, 15)
CSV_HEADER = "profil;nom;prenom;date_naissance;mel;fonction;identifiant_ent;enfants"
XXE = (b'<?xml version="1.0"?><!DOCTYPE BEE_ELEVES [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       b"<BEE_ELEVES><PARAMETRES><UAJ>&e;</UAJ></PARAMETRES></BEE_ELEVES>")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The fixture's school year: Inès LEROY left on 19/12/2025, Éloïse leaves on 03/07/2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def college(db) -> Establishment:
    """The school of the SIECLE and STS fixtures (not the shared ``school`` of conftest)."""
    return make_establishment(uai=UAI, name="Collège Jean Moulin")


def run(command: str, *args: str, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue().strip(), err.getvalue().strip()


def refused(command: str, *args: str, **options) -> str:
    with pytest.raises(CommandError) as caught:
        run(command, *args, **options)
    return str(caught.value)


def snapshot() -> tuple:
    """Everything an import may touch, in a comparable form."""
    people = sorted(Person.objects.values_list(
        "establishment__uai", "source_key", "ent_identity", "user__username", "last_name", "first_name",
        "birth_date", "email", "profile", "function", "school_class__name",
    ))
    links = sorted(Person.children.through.objects.values_list(
        "from_person__ent_identity", "to_person__ent_identity"
    ))
    return (
        people, links, sorted(Establishment.objects.values_list("uai", "name")),
        sorted(SchoolClass.objects.values_list("name", "level__code")),
        sorted(Level.objects.values_list("code", "rank")), get_user_model().objects.count(),
    )


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def identity(last_name: str) -> str:
    return Person.objects.get(last_name=last_name).ent_identity


# --- SIECLE -------------------------------------------------------------------------------------


def test_siecle_import_creates_pupils_in_their_divisions(college):
    out, err = run("ent_import_siecle", str(SIECLE_FILE))

    assert out == (
        "SIECLE 0693456G (Collège Jean Moulin), année 2025 : 8 élève(s) lu(s), 7 créé(s), 0 mis à jour, "
        "0 inchangé(s), 1 parti(s) non importé(s), 5 classe(s) créée(s)."
    )
    assert err == ""
    assert sorted(Person.objects.values_list(
        "source_key", "last_name", "first_name", "birth_date", "profile", "school_class__name"
    )) == [
        ("SIECLE:1001", "MARTIN", "Lucas", date(2013, 5, 2), "ELEVE", "6A"),
        ("SIECLE:1002", "ROUSSEL", "Zoé", date(2013, 11, 17), "ELEVE", "6A"),
        ("SIECLE:1003", "CŒURDEROY", "Maëlys", date(2012, 2, 29), "ELEVE", "6B"),
        ("SIECLE:1004", "FERNANDEZ", "Noé", date(2012, 9, 8), "ELEVE", "5A"),
        ("SIECLE:1006", "DA SILVA MOREIRA", "Éloïse", date(2011, 1, 3), "ELEVE", "3A"),
        ("SIECLE:1007", "MOREAU", "Hugo", date(2011, 4, 30), "ELEVE", "4B"),
        ("SIECLE:1008", "ÉTIENNE", "Jules", date(2012, 12, 12), "ELEVE", "6B"),
    ]
    assert sorted(SchoolClass.objects.values_list("name", "level__code")) == [
        ("3A", "3EME"), ("4B", "4EME"), ("5A", "5EME"), ("6A", "6EME"), ("6B", "6EME"),
    ]
    assert list(Level.objects.values_list("code", "rank")) == [
        ("6EME", 1), ("5EME", 2), ("4EME", 3), ("3EME", 4),
    ]
    assert not SchoolClass.objects.filter(name="6LATIN").exists()


def test_siecle_login_spells_ligatures_out(college):
    run("ent_import_siecle", str(SIECLE_FILE))

    assert Person.objects.get(source_key="SIECLE:1003").user.username == "maelys.coeurderoy"


def test_siecle_second_import_changes_nothing(college):
    run("ent_import_siecle", str(SIECLE_FILE))
    before = snapshot()

    out, _ = run("ent_import_siecle", str(SIECLE_FILE), uai=UAI.lower())

    assert "7 créé(s)" not in out
    assert ": 8 élève(s) lu(s), 0 créé(s), 0 mis à jour, 7 inchangé(s), 1 parti(s) non importé(s), " \
           "0 classe(s) créée(s)." in out
    assert snapshot() == before


def test_siecle_reimport_updates_a_changed_pupil_and_keeps_their_identity(college, tmp_path):
    run("ent_import_siecle", str(SIECLE_FILE))
    identity_before = identity("ROUSSEL")
    changed = SIECLE_FILE.read_bytes().replace(b"<NOM_USAGE>ROUSSEL</NOM_USAGE>", b"<NOM_USAGE></NOM_USAGE>")

    out, _ = run("ent_import_siecle", write(tmp_path, "ElevesSansAdresses.xml", changed))

    assert "0 créé(s), 1 mis à jour, 6 inchangé(s)" in out
    assert Person.objects.get(source_key="SIECLE:1002").ent_identity == identity_before
    assert Person.objects.get(source_key="SIECLE:1002").last_name == "NGUYEN"


def test_siecle_unknown_school_is_refused_unless_named(db):
    before = snapshot()

    message = refused("ent_import_siecle", str(SIECLE_FILE))

    assert message == "L'établissement 0693456G n'existe pas dans l'annuaire : rien n'a été importé."
    assert snapshot() == before

    run("ent_import_siecle", str(SIECLE_FILE), name="Collège Jean Moulin")

    assert Establishment.objects.get().name == "Collège Jean Moulin"
    assert Person.objects.filter(establishment__uai=UAI).count() == 7


def test_siecle_school_with_an_invalid_uai_is_not_created(db, tmp_path):
    bad_uai = SIECLE_FILE.read_bytes().replace(b"<UAJ>0693456G</UAJ>", b"<UAJ>0693456A</UAJ>")

    message = refused("ent_import_siecle", write(tmp_path, "eleves.xml", bad_uai), name="Collège X")

    assert message == (
        "Le code UAI « 0693456A » du fichier n'est pas valide : établissement non créé, rien n'a été importé."
    )
    assert (Establishment.objects.count(), Person.objects.count()) == (0, 0)


def test_siecle_file_of_another_school_is_refused(college):
    Establishment.objects.create(uai=OTHER_UAI, name="Collège Voltaire")
    run("ent_import_sts", str(STS_FILE), uai=UAI)
    before = snapshot()

    message = refused("ent_import_siecle", str(SIECLE_FILE), uai=OTHER_UAI)

    assert message == (
        "Le fichier SIECLE concerne l'établissement 0693456G, pas 0752345S : rien n'a été importé."
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (STS_FILE.read_bytes(), "Ce fichier n'est pas un export SIECLE des élèves : l'élément racine est "
                                "« STS_EDT », « BEE_ELEVES » attendu."),
        (XXE, "Le fichier contient une déclaration DOCTYPE (DTD ou entités) : il est refusé par sécurité, "
              "un export SIECLE n'en contient jamais."),
        (b"<BEE_ELEVES><PARAMETRES>", "Le fichier n'est pas un XML bien formé (ligne 1, colonne 25)."),
    ],
    ids=["wrong-root", "external-entity", "truncated"],
)
def test_siecle_bad_file_is_refused_and_nothing_changes(college, tmp_path, content, message):
    run("ent_import_sts", str(STS_FILE), uai=UAI)
    before = snapshot()

    assert refused("ent_import_siecle", write(tmp_path, "eleves.xml", content)) == message
    assert snapshot() == before


def test_siecle_missing_file_is_refused(college, tmp_path):
    missing = tmp_path / "absent.xml"

    assert refused("ent_import_siecle", str(missing)) == f"Fichier introuvable : « {missing} »."


def test_siecle_unreadable_pupils_are_listed_and_the_others_imported(college, tmp_path):
    broken = SIECLE_FILE.read_bytes().replace(b"<DATE_NAISS>08/09/2012</DATE_NAISS>",
                                              b"<DATE_NAISS>31/09/2012</DATE_NAISS>")

    out, err = run("ent_import_siecle", write(tmp_path, "eleves.xml", broken))

    assert "7 élève(s) lu(s), 6 créé(s)" in out
    assert err.splitlines() == [
        "1 élève(s) illisible(s), non importé(s) :",
        "  - Élève n° 4 (ELEVE_ID 1004) : date de naissance « 31/09/2012 » invalide (attendu jj/mm/aaaa), "
        "élève ignoré.",
    ]
    assert not Person.objects.filter(source_key="SIECLE:1004").exists()


# --- STS ----------------------------------------------------------------------------------------


def test_sts_import_gives_each_function_its_profile(college):
    out, _ = run("ent_import_sts", str(STS_FILE), uai=UAI)

    assert out == (
        "STS 0693456G (Collège Jean Moulin) : 7 personne(s) lue(s) (2 enseignant(s), 5 personnel(s)), "
        "7 créée(s), 0 mise(s) à jour, 0 inchangée(s)."
    )
    assert sorted(Person.objects.values_list(
        "source_key", "last_name", "first_name", "birth_date", "profile", "function", "school_class"
    )) == [
        ("STS:5001", "DURAND", "Sophie", date(1978, 9, 12), "ENSEIGNANT", "", None),
        ("STS:5002", "LAMBERT", "Éric", date(1969, 2, 3), "ENSEIGNANT", "", None),
        ("STS:5003", "FAURE", "Hélène", date(1975, 6, 30), "PERSONNEL", "DIRECTEUR", None),
        ("STS:5004", "ROUSSEAU", "Karim", date(1982, 11, 21), "PERSONNEL", "CPE", None),
        ("STS:5005", "BONNET", "Anaïs", date(1987, 4, 17), "PERSONNEL", "CDI", None),
        ("STS:5006", "GIRARD", "Françoise", date(1971, 1, 8), "PERSONNEL", "SECRETAIRE", None),
        ("STS:5007", "MERCIER", "Paul", date(1999, 10, 5), "PERSONNEL", "", None),
    ]
    assert [p.last_name for p in Person.objects.all() if p.can_administer] == ["FAURE"]


def test_sts_second_import_changes_nothing(college):
    run("ent_import_sts", str(STS_FILE), uai=UAI)
    before = snapshot()

    out, _ = run("ent_import_sts", str(STS_FILE), uai=UAI)

    assert out.endswith("0 créée(s), 0 mise(s) à jour, 7 inchangée(s).")
    assert snapshot() == before


def test_sts_file_of_another_school_is_refused(college):
    Establishment.objects.create(uai=OTHER_UAI, name="Collège Voltaire")
    before = snapshot()

    assert refused("ent_import_sts", str(STS_FILE), uai=OTHER_UAI) == (
        "Le fichier STS concerne l'établissement 0693456G, pas 0752345S : rien n'a été importé."
    )
    assert snapshot() == before


def test_sts_unknown_school_is_refused(db):
    before = snapshot()

    assert refused("ent_import_sts", str(STS_FILE), uai=UAI) == (
        "L'établissement 0693456G n'existe pas dans l'annuaire : rien n'a été importé."
    )
    assert snapshot() == before


def test_sts_wrong_root_is_refused(college):
    run("ent_import_siecle", str(SIECLE_FILE))
    before = snapshot()

    assert refused("ent_import_sts", str(SIECLE_FILE), uai=UAI) == (
        "Ce fichier n'est pas un export STS-web des personnels : l'élément racine est « BEE_ELEVES », "
        "« STS_EDT » attendu."
    )
    assert snapshot() == before


# --- CSV ----------------------------------------------------------------------------------------


@pytest.fixture
def pupils(college) -> Establishment:
    """The SIECLE pupils, plus one typed in by hand (no source key) to be named as a child."""
    run("ent_import_siecle", str(SIECLE_FILE))
    manual = make_person(college, Profile.PUPIL, "SAISIE", "Inès", class_name="6A")
    Person.objects.filter(pk=manual.pk).update(ent_identity="MAN-0001")
    return college


def parents_csv() -> str:
    return "\ufeff" + "\n".join([
        CSV_HEADER,
        f"parent;Martin;Sandrine;14/02/1982;sandrine.martin@example.org;;;{identity('MARTIN')}",
        f"Parent;ROUSSEL;Éric;;;;PAR-0001;{identity('ROUSSEL')}, MAN-0001",
        "Personnel;Benali;Nadia;03/03/1990;;Secrétaire;;",
        "",
        "enseignant;Petit;Marc;;marc.petit@example.org;;ENS-42;",
    ]) + "\n"


def test_csv_import_creates_parents_and_staff_and_links_children(pupils, tmp_path):
    out, _ = run("ent_import_people_csv", write(tmp_path, "personnes.csv", parents_csv()), uai=UAI)

    assert out == (
        "CSV 0693456G (Collège Jean Moulin) : 4 personne(s) lue(s), 4 créée(s), 0 mise(s) à jour, "
        "0 inchangée(s), 3 lien(s) parent-enfant ajouté(s)."
    )
    created = Person.objects.filter(source_key__startswith="CSV:")
    assert sorted(created.values_list(
        "source_key", "last_name", "first_name", "birth_date", "email", "profile", "function"
    )) == [
        ("CSV:ENS-42", "Petit", "Marc", None, "marc.petit@example.org", "ENSEIGNANT", ""),
        ("CSV:PAR-0001", "ROUSSEL", "Éric", None, "", "PARENT", ""),
        ("CSV:parent:martin:sandrine:1982-02-14", "Martin", "Sandrine", date(1982, 2, 14),
         "sandrine.martin@example.org", "PARENT", ""),
        ("CSV:personnel:benali:nadia:1990-03-03", "Benali", "Nadia", date(1990, 3, 3), "", "PERSONNEL",
         "SECRETAIRE"),
    ]
    assert identity("Petit") == "ENS-42"
    father = Person.objects.get(ent_identity="PAR-0001")
    assert sorted(father.children.values_list("first_name", flat=True)) == ["Inès", "Zoé"]
    mother = Person.objects.get(last_name="Martin")
    assert list(mother.children.values_list("source_key", flat=True)) == ["SIECLE:1001"]


def test_csv_second_import_changes_nothing(pupils, tmp_path):
    path = write(tmp_path, "personnes.csv", parents_csv())
    run("ent_import_people_csv", path, uai=UAI)
    before = snapshot()

    out, _ = run("ent_import_people_csv", path, uai=UAI)

    assert out.endswith("0 créée(s), 0 mise(s) à jour, 4 inchangée(s), 0 lien(s) parent-enfant ajouté(s).")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["profil;nom;prenom;date_naissance;fonction;identifiant_ent;enfants", "parent;A;B;;;;"],
            ["Ligne 1 : colonne(s) manquante(s) : mel.", f"Ligne 1 : en-tête attendu : {CSV_HEADER}."],
        ),
        (
            [CSV_HEADER.replace(";", ","), "parent,A,B,,,,,"],
            ["Ligne 1 : colonne(s) manquante(s) : profil, nom, prenom, date_naissance, mel, fonction, "
             "identifiant_ent, enfants (le séparateur doit être « ; »).",
             "Ligne 1 : colonne(s) inconnue(s) : profil,nom,prenom,date_naissance,mel,fonction,"
             "identifiant_ent,enfants.",
             f"Ligne 1 : en-tête attendu : {CSV_HEADER}."],
        ),
        (
            [CSV_HEADER, "parent;Martin;Paul;01/01/1980;;;;", "parent;Durand;Léa;31/02/2010;;;;",
             "tuteur;Durand;Marc;;;;;", "enseignant;Petit;;;pas-une-adresse;CPE;;",
             "parent;MARTIN;paul;01/01/1980;;;;"],
            ["Ligne 3 : date de naissance « 31/02/2010 » invalide (attendu jj/mm/aaaa).",
             "Ligne 4 : profil « tuteur » inconnu (attendu parent, personnel ou enseignant).",
             "Ligne 5 : prénom manquant.",
             "Ligne 5 : adresse électronique « pas-une-adresse » invalide.",
             "Ligne 5 : une fonction ne se donne qu'à un profil « personnel ».",
             "Ligne 6 : même personne qu'à la ligne 2."],
        ),
        (
            [CSV_HEADER, "parent;Martin;Paul;;;;;SES000000000000", "parent;Moreau;Luc;;;;;{MOREAU}"],
            ["Ligne 2 : enfant « SES000000000000 » inconnu : aucun élève de l'établissement n'a cet "
             "identifiant ENT."],
        ),
        (
            [CSV_HEADER, "enseignant;Faux;Prof;;;;{MOREAU};"],
            ["Ligne 2 : identifiant ENT « {MOREAU} » déjà attribué à MOREAU Hugo."],
        ),
    ],
    ids=["missing-column", "comma-separator", "bad-rows", "unknown-child", "identity-taken"],
)
def test_csv_bad_file_is_refused_whole_and_nothing_changes(pupils, tmp_path, lines, expected):
    moreau = identity("MOREAU")
    content = "\n".join(line.replace("{MOREAU}", moreau) for line in lines) + "\n"
    before = snapshot()

    message = refused("ent_import_people_csv", write(tmp_path, "personnes.csv", content), uai=UAI)

    assert message.splitlines() == [
        "Fichier refusé, rien n'a été importé.",
        *(line.replace("{MOREAU}", moreau) for line in expected),
    ]
    assert snapshot() == before


def test_csv_not_utf8_is_refused(pupils, tmp_path):
    content = f"{CSV_HEADER}\nparent;Lefèvre;Hélène;;;;;\n".encode("cp1252")
    before = snapshot()

    message = refused("ent_import_people_csv", write(tmp_path, "personnes.csv", content), uai=UAI)

    assert message.splitlines()[1] == (
        "Ligne 2 : le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis le tableur)."
    )
    assert snapshot() == before


def test_csv_reading_is_lenient_on_case_accents_and_quotes():
    data = (
        "PROFIL;Nom;Prénom;date_naissance;mel;fonction;identifiant_ent;enfants\r\n"
        'personnel;"Le Goff";" Anne-Marie ";;;cpe;;\r\n'
    ).encode()

    parsed = read_people_csv(data)

    assert parsed.problems == ()
    (person,) = parsed.people
    assert (person.profile, person.function, person.last_name, person.first_name) == (
        "personnel", "CPE", "Le Goff", "Anne-Marie"
    )
    assert person.source_key == "CSV:personnel:le-goff:anne-marie:"


def test_csv_source_key_of_very_long_names_fits_the_column():
    data = f"{CSV_HEADER}\nparent;{'A' * 100};{'B' * 100};;;;;\n".encode()

    (person,) = read_people_csv(data).people

    assert len(person.source_key) == 80
    assert person.source_key.startswith("CSV:parent:aaaa")
