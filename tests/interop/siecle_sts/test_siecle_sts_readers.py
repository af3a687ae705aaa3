"""The SIECLE (BEE_ELEVES) and STS-web (STS_EDT) readers, on real-shaped files and hostile ones."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sesame.interop.siecle import (
    SiecleError,
    SiecleFormatError,
    SieclePupil,
    SiecleUnsafeError,
    read_siecle_pupils,
)
from sesame.interop.siecle.safe_xml import parse_safely as siecle_parse_safely
from sesame.interop.sts import StsError, StsFormatError, StsPerson, StsUnsafeError, read_sts_staff

DATA = Path(__file__).resolve().parents[2] / "data"
SIECLE_FILE = DATA / "siecle" / "ElevesSansAdresses.xml"
STS_FILE = DATA / "sts" / "sts_emp_0693456G_2025.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ROOT><PARAMETRES><UAJ>&lol4;</UAJ></PARAMETRES></ROOT>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ROOT [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ROOT><PARAMETRES><UAJ>&secret;</UAJ></PARAMETRES></ROOT>"""
DOCTYPE_MESSAGE = (
    "Le fichier contient une déclaration DOCTYPE (DTD ou entités) : il est refusé par sécurité, "
    "un export {} n'en contient jamais."
)


def siecle_doc(pupils: str, structures: str = "", *, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        "<BEE_ELEVES VERSION=\"1.8\"><PARAMETRES><UAJ>0693456G</UAJ>"
        "<ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE></PARAMETRES>"
        f"<DONNEES><ELEVES>{pupils}</ELEVES><STRUCTURES>{structures}</STRUCTURES></DONNEES></BEE_ELEVES>"
    )


def eleve(eleve_id: str, nom: str = "DUPONT", prenom: str = "Léa", naiss: str = "01/02/2013",
          sortie: str = "") -> str:
    id_attribute = f' ELEVE_ID="{eleve_id}"' if eleve_id else ""
    return (f"<ELEVE{id_attribute}><NOM_DE_FAMILLE>{nom}</NOM_DE_FAMILLE><PRENOM>{prenom}</PRENOM>"
            f"<DATE_NAISS>{naiss}</DATE_NAISS><DATE_SORTIE>{sortie}</DATE_SORTIE></ELEVE>")


# --- SIECLE -------------------------------------------------------------------------------------


def test_siecle_fixture_is_read_exactly():
    siecle = read_siecle_pupils(SIECLE_FILE.read_bytes())

    assert (siecle.uai, siecle.school_year, siecle.problems) == ("0693456G", "2025", ())
    assert siecle.pupils == (
        SieclePupil("1001", "MARTIN", "Lucas", date(2013, 5, 2), "6A", None),
        SieclePupil("1002", "ROUSSEL", "Zoé", date(2013, 11, 17), "6A", None, groups=("6LATIN",)),
        SieclePupil("1003", "CŒURDEROY", "Maëlys", date(2012, 2, 29), "6B", None),
        SieclePupil("1004", "FERNANDEZ", "Noé", date(2012, 9, 8), "5A", None),
        SieclePupil("1005", "LEROY", "Inès", date(2010, 6, 21), "3A", date(2025, 12, 19)),
        SieclePupil("1006", "DA SILVA MOREIRA", "Éloïse", date(2011, 1, 3), "3A", date(2026, 7, 3)),
        SieclePupil("1007", "MOREAU", "Hugo", date(2011, 4, 30), "4B", None),
        SieclePupil("1008", "ÉTIENNE", "Jules", date(2012, 12, 12), "6B", None),
    )


def test_siecle_fixture_really_is_iso_8859_15():
    # Œ is 0xBC in ISO-8859-15 and does not exist in ISO-8859-1: the reader must follow the declaration.
    raw = SIECLE_FILE.read_bytes()
    assert b'encoding="ISO-8859-15"' in raw
    assert b"C\xbcURDEROY" in raw


@pytest.mark.parametrize("encoding", ["ISO-8859-15", "ISO-8859-1", "UTF-8"])
def test_siecle_declared_encodings_are_honoured(encoding):
    text = siecle_doc(eleve("7", nom="LAFORÊT", prenom="Anaïs"), encoding=encoding)
    data = text.encode(encoding)
    if encoding == "UTF-8":
        data = b"\xef\xbb\xbf" + data

    (pupil,) = read_siecle_pupils(data).pupils

    assert (pupil.last_name, pupil.first_name) == ("LAFORÊT", "Anaïs")


def test_siecle_usage_name_wins_over_family_name_and_groups_are_not_classes():
    pupils = (
        '<ELEVE ELEVE_ID="1"><NOM_DE_FAMILLE>NGUYEN</NOM_DE_FAMILLE><NOM_USAGE>ROUSSEL</NOM_USAGE>'
        "<PRENOM>Zoé</PRENOM></ELEVE>"
    )
    structures = (
        '<STRUCTURES_ELEVE ELEVE_ID="1">'
        "<STRUCTURE><CODE_STRUCTURE>6LATIN</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>"
        "<STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
        "</STRUCTURES_ELEVE>"
    )

    (pupil,) = read_siecle_pupils(siecle_doc(pupils, structures).encode()).pupils

    assert pupil == SieclePupil("1", "ROUSSEL", "Zoé", None, "6A", None, groups=("6LATIN",))


def test_siecle_bad_pupils_are_reported_and_the_others_kept():
    pupils = "".join([
        eleve("1"),
        eleve("", nom="SANSID"),
        eleve("3", naiss="31/02/2010"),
        eleve("1", nom="DOUBLON"),
        eleve("5", nom=""),
        eleve("6", sortie="2026-07-03"),
        eleve("7"),
    ])
    structures = (
        '<STRUCTURES_ELEVE ELEVE_ID="7">'
        "<STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
        "<STRUCTURE><CODE_STRUCTURE>6B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
        "</STRUCTURES_ELEVE>"
    )

    siecle = read_siecle_pupils(siecle_doc(pupils, structures).encode())

    assert [pupil.eleve_id for pupil in siecle.pupils] == ["1"]
    assert [(p.position, p.eleve_id, p.code) for p in siecle.problems] == [
        (2, "", "missing_id"), (3, "3", "bad_date"), (4, "1", "duplicate_id"),
        (5, "5", "missing_name"), (6, "6", "bad_date"), (7, "7", "several_divisions"),
    ]
    assert [p.message for p in siecle.problems] == [
        "Élève n° 2 : attribut ELEVE_ID manquant, élève ignoré.",
        "Élève n° 3 (ELEVE_ID 3) : date de naissance « 31/02/2010 » invalide (attendu jj/mm/aaaa), "
        "élève ignoré.",
        "Élève n° 4 (ELEVE_ID 1) : ELEVE_ID déjà vu pour l'élève n° 1, élève ignoré.",
        "Élève n° 5 (ELEVE_ID 5) : nom (NOM_USAGE ou NOM_DE_FAMILLE) manquant, élève ignoré.",
        "Élève n° 6 (ELEVE_ID 6) : date de sortie « 2026-07-03 » invalide (attendu jj/mm/aaaa), "
        "élève ignoré.",
        "Élève n° 7 (ELEVE_ID 7) : plusieurs divisions (6A, 6B) au lieu d'une, élève ignoré.",
    ]


def test_siecle_wrong_root_is_refused_in_french():
    data = b'<?xml version="1.0" encoding="UTF-8"?><FICHES_XML><EMPRUNTEURS/></FICHES_XML>'

    with pytest.raises(SiecleFormatError) as caught:
        read_siecle_pupils(data)

    assert caught.value.code == "wrong_root"
    assert caught.value.message == (
        "Ce fichier n'est pas un export SIECLE des élèves : l'élément racine est « FICHES_XML », "
        "« BEE_ELEVES » attendu."
    )
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_siecle_hostile_xml_is_refused(data):
    with pytest.raises(SiecleUnsafeError) as caught:
        read_siecle_pupils(data.replace(b"ROOT", b"BEE_ELEVES"))

    assert caught.value.code == "doctype"
    assert str(caught.value) == DOCTYPE_MESSAGE.format("SIECLE")


def test_siecle_doctype_hidden_in_utf16_is_still_refused():
    data = EXTERNAL_ENTITY.replace(b"ROOT", b"BEE_ELEVES").decode().replace(
        'version="1.0"', 'version="1.0" encoding="UTF-16"'
    ).encode("utf-16")

    with pytest.raises(SiecleUnsafeError, match="DOCTYPE"):
        read_siecle_pupils(data)


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "Le fichier est vide."),
        (b"<BEE_ELEVES><PARAMETRES></BEE_ELEVES>", "malformed",
         "Le fichier n'est pas un XML bien formé (ligne 1, colonne 38)."),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<BEE_ELEVES>é</BEE_ELEVES>'.encode("latin-1"), "encoding",
         "Le fichier n'est pas dans l'encodage qu'il déclare (ligne 2) : il doit être en ISO-8859-15, "
         "ISO-8859-1 ou UTF-8, comme SIECLE l'exporte."),
        (b"<BEE_ELEVES><PARAMETRES/><DONNEES/></BEE_ELEVES>", "missing_uai",
         "Le fichier SIECLE n'indique pas l'établissement (PARAMETRES/UAJ absent ou vide)."),
    ],
    ids=["empty", "malformed", "wrong-encoding", "no-uai"],
)
def test_siecle_unreadable_files_are_refused_with_a_reason(data, code, message):
    with pytest.raises(SiecleFormatError) as caught:
        read_siecle_pupils(data)

    assert (caught.value.code, caught.value.message) == (code, message)


def test_siecle_oversized_file_is_refused_before_parsing():
    with pytest.raises(SiecleUnsafeError) as caught:
        siecle_parse_safely(b"<BEE_ELEVES/>" + b" " * 3 * 1_048_576, max_bytes=2 * 1_048_576)

    assert caught.value.code == "too_large"
    assert caught.value.message == "Le fichier est trop volumineux (3 Mo) : la limite est de 2 Mo."


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.builds(lambda cut: SIECLE_FILE.read_bytes()[:cut], st.integers(0, 6000)))
def test_siecle_reader_fails_only_with_its_own_errors(data):
    try:
        read_siecle_pupils(data)
    except SiecleError as exc:
        assert exc.message and exc.code


# --- STS ----------------------------------------------------------------------------------------


def test_sts_fixture_is_read_exactly():
    sts = read_sts_staff(STS_FILE.read_bytes())

    assert (sts.uai, sts.school_year, sts.problems) == ("0693456G", "2025", ())
    assert sts.people == (
        StsPerson("5001", "epp", "DURAND", "Sophie", date(1978, 9, 12), "ENS"),
        StsPerson("5002", "epp", "LAMBERT", "Éric", date(1969, 2, 3), "ENS"),
        StsPerson("5003", "epp", "FAURE", "Hélène", date(1975, 6, 30), "DIR"),
        StsPerson("5004", "epp", "ROUSSEAU", "Karim", date(1982, 11, 21), "EDU"),
        StsPerson("5005", "epp", "BONNET", "Anaïs", date(1987, 4, 17), "DOC"),
        StsPerson("5006", "local", "GIRARD", "Françoise", date(1971, 1, 8), "ADF"),
        StsPerson("5007", "local", "MERCIER", "Paul", date(1999, 10, 5), "SUR"),
    )


def test_sts_uai_as_text_and_missing_parameters():
    with_text = b"<STS_EDT><PARAMETRES><UAJ>0693456g</UAJ></PARAMETRES><DONNEES/></STS_EDT>"
    without = b"<STS_EDT><DONNEES/></STS_EDT>"

    assert read_sts_staff(with_text).uai == "0693456G"
    assert (read_sts_staff(without).uai, read_sts_staff(without).people) == ("", ())


def test_sts_bad_people_are_reported_and_the_others_kept():
    people = "".join([
        '<INDIVIDU ID="1" TYPE="epp"><NOM_USAGE>DURAND</NOM_USAGE><PRENOM>Sophie</PRENOM>'
        "<FONCTION>ens</FONCTION></INDIVIDU>",
        '<INDIVIDU TYPE="epp"><NOM_USAGE>SANSID</NOM_USAGE><PRENOM>A</PRENOM></INDIVIDU>',
        '<INDIVIDU ID="3"><NOM_PATRONYMIQUE>PETIT</NOM_PATRONYMIQUE><PRENOM>Luc</PRENOM>'
        "<DATE_NAISSANCE>12/09/1978</DATE_NAISSANCE></INDIVIDU>",
        '<INDIVIDU ID="4"><NOM_PATRONYMIQUE>PETIT</NOM_PATRONYMIQUE><PRENOM>Luc</PRENOM></INDIVIDU>',
        '<INDIVIDU ID="1"><NOM_USAGE>AUTRE</NOM_USAGE><PRENOM>B</PRENOM></INDIVIDU>',
    ])
    data = f"<STS_EDT><DONNEES><INDIVIDUS>{people}</INDIVIDUS></DONNEES></STS_EDT>".encode()

    sts = read_sts_staff(data)

    assert sts.people == (
        StsPerson("1", "epp", "DURAND", "Sophie", None, "ENS"),
        StsPerson("4", "", "PETIT", "Luc", None, ""),
    )
    assert [p.message for p in sts.problems] == [
        "Personne n° 2 : attribut ID manquant, personne ignorée.",
        "Personne n° 3 (ID 3) : date de naissance « 12/09/1978 » invalide (attendu aaaa-mm-jj), "
        "personne ignorée.",
        "Personne n° 5 (ID 1) : ID déjà vu pour la personne n° 1, personne ignorée.",
    ]


def test_sts_wrong_root_is_refused_in_french():
    with pytest.raises(StsFormatError) as caught:
        read_sts_staff(SIECLE_FILE.read_bytes())

    assert caught.value.code == "wrong_root"
    assert str(caught.value) == (
        "Ce fichier n'est pas un export STS-web des personnels : l'élément racine est « BEE_ELEVES », "
        "« STS_EDT » attendu."
    )


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_sts_hostile_xml_is_refused(data):
    with pytest.raises(StsUnsafeError) as caught:
        read_sts_staff(data.replace(b"ROOT", b"STS_EDT"))

    assert caught.value.code == "doctype"
    assert str(caught.value) == DOCTYPE_MESSAGE.format("STS-web")


def test_sts_malformed_file_is_refused():
    with pytest.raises(StsFormatError) as caught:
        read_sts_staff(b"<STS_EDT><DONNEES></STS_EDT>")

    assert (caught.value.code, caught.value.message) == (
        "malformed", "Le fichier n'est pas un XML bien formé (ligne 1, colonne 29)."
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.builds(lambda cut: STS_FILE.read_bytes()[:cut], st.integers(0, 5000)))
def test_sts_reader_fails_only_with_its_own_errors(data):
    try:
        read_sts_staff(data)
    except StsError as exc:
        assert exc.message and exc.code
