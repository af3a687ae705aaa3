"""Reader behaviour on the variants producers write, and on people with something wrong."""

import datetime
import io

import pytest

from sesame.interop.fiches_xml import (
    EmptyFileError,
    FileTooLargeError,
    Limits,
    ReadResult,
    RecordProblem,
    Status,
    UserRecord,
    iter_fiches,
    normalize_status,
    read_fiches,
)


def fiches(*people: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    """A file with one EMPRUNTEURS per argument, each person on its own lines."""
    body = "".join(f"<EMPRUNTEURS>\n{person}\n</EMPRUNTEURS>\n" for person in people)
    return f"{declaration}<FICHES_XML>\n{body}</FICHES_XML>\n".encode()


def person(name="DUPONT Jean", identity="ID-1", status="Enseignant", **extra: str) -> str:
    parts = [f"<EMPRUNTEUR_M>{name}</EMPRUNTEUR_M>", f"<IDENTITE_ENT_M>{identity}</IDENTITE_ENT_M>",
             f"<STATUT_M_M>{status}</STATUT_M_M>"]
    parts += [f"<{tag}>{value}</{tag}>" for tag, value in extra.items()]
    return "".join(parts)


@pytest.mark.parametrize(
    "raw", ["Élève", "Elève", "Eleve", "ELEVE", " élève ", "ÉLÈVE", "E\u0301le\u0300ve", "eleve\n"]
)
def test_every_spelling_of_pupil_is_normalised(raw):
    assert normalize_status(raw) is Status.PUPIL


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Enseignant", Status.TEACHER), ("PERSONNEL", Status.STAFF), ("parent", Status.PARENT),
     ("Invite", Status.GUEST), ("Invité", Status.GUEST), ("Autre", Status.OTHER),
     ("Stagiaire", None), ("", None), ("Élèves", None)],
)
def test_statuses_are_normalised_or_unknown(raw, expected):
    assert normalize_status(raw) is expected


def test_any_child_order_and_whitespace_around_values():
    data = fiches(
        "<IDENTITE_ENT_M>  ABC-1  </IDENTITE_ENT_M>\n  <CLASSE_M> 5eB </CLASSE_M>"
        "<DATE_NAISSANCE_M> 09/10/2012 </DATE_NAISSANCE_M>\n"
        "<STATUT_M_M>\n\t\tEleve\n\t</STATUT_M_M><EMPRUNTEUR_M>\n  LE  GALL   Anne-Marie \n</EMPRUNTEUR_M>"
    )

    [record] = read_fiches(data).records

    assert record == UserRecord(
        name="LE  GALL   Anne-Marie",
        ent_identity="ABC-1",
        status="Eleve",
        birth_date=datetime.date(2012, 10, 9),
        school_class="5eB",
        position=1,
    )
    assert record.canonical_status is Status.PUPIL


def test_every_field_is_read():
    data = fiches(
        person(
            "N'DIAYE Moussa", "ABC-42", "Élève", DATE_NAISSANCE_M="01/09/2011", ADRESSE_M="3 rue d'Orléans",
            CODE_POSTAL_M="45000", VILLE_M="Orléans", TEL_M="06 12 34 56 78", MEL_M="m@example.org",
            CLASSE_M="4eA", DIVEMPR_M="Latin", COMPTE_M="OUI", MOT_DE_PASSE_M="s3cr&amp;t",
            TYPE_EMPRUNTEUR_M="Usager",
        )
    )

    assert read_fiches(data).records == (
        UserRecord(
            name="N'DIAYE Moussa", ent_identity="ABC-42", status="Élève",
            birth_date=datetime.date(2011, 9, 1), school_class="4eA", group="Latin",
            address="3 rue d'Orléans", postal_code="45000", city="Orléans", phone="06 12 34 56 78",
            email="m@example.org", has_account=True, password="s3cr&t", borrower_type="Usager",
            position=1,
        ),
    )


def test_identity_alias_from_esidoc_is_accepted_and_the_main_name_wins():
    data = fiches(
        "<EMPRUNTEUR_M>A B</EMPRUNTEUR_M><STATUT_M_M>Autre</STATUT_M_M><IDENTITE_E_M>E-1</IDENTITE_E_M>",
        "<EMPRUNTEUR_M>C D</EMPRUNTEUR_M><STATUT_M_M>Autre</STATUT_M_M><IDENTITE_E_M>alias</IDENTITE_E_M>"
        "<IDENTITE_ENT_M>E-2</IDENTITE_ENT_M>",
    )

    assert [record.ent_identity for record in read_fiches(data).records] == ["E-1", "E-2"]


def test_account_flag():
    data = fiches(
        person(identity="1", COMPTE_M="OUI"), person(identity="2", COMPTE_M="NON"),
        person(identity="3"), person(identity="4", COMPTE_M="oui"), person(identity="5", COMPTE_M=""),
    )

    assert [record.has_account for record in read_fiches(data).records] == [True, False, True, True, True]


def test_iso_birth_date_is_accepted_too():
    [record] = read_fiches(fiches(person(DATE_NAISSANCE_M="2012-10-09"))).records

    assert record.birth_date == datetime.date(2012, 10, 9)


def test_cdata_and_character_references_are_plain_text():
    data = fiches(person(name="<![CDATA[O'HARA & <Fils>]]> &#201;mile", identity="&#x41;-1"))

    [record] = read_fiches(data).records

    assert (record.name, record.ent_identity) == ("O'HARA & <Fils> Émile", "A-1")


def test_comments_and_processing_instructions_are_ignored():
    data = fiches(person(name="DU<!-- x -->PONT<?pi y?> Jean"))

    assert read_fiches(data).records[0].name == "DUPONT Jean"


def test_a_bad_person_is_reported_with_its_position_and_line_and_the_rest_is_read():
    data = fiches(
        person(identity="1"),                                    # lines 3-5
        person(name="", identity="2"),                           # lines 6-8
        person(name="MARTIN Léa", identity="   "),               # lines 9-11
        person(name="PETIT Paul", identity="4", DATE_NAISSANCE_M="31/02/2012"),
        person(name="DURAND Zoé", identity="1"),                 # lines 15-17
        person(name="ROUX Max", identity="6", STATUT_M_M=""),
    )

    result = read_fiches(data)

    assert [(r.position, r.ent_identity, r.birth_date) for r in result.records] == [
        (1, "1", None), (4, "4", None), (6, "6", None),
    ]
    assert [(p.position, p.line, p.code, p.field) for p in result.problems] == [
        (2, 6, "missing_name", "EMPRUNTEUR_M"),
        (3, 9, "missing_identity", "IDENTITE_ENT_M"),
        (4, 12, "bad_birth_date", "DATE_NAISSANCE_M"),
        (5, 15, "duplicate_identity", "IDENTITE_ENT_M"),
    ]
    assert result.problems[1].message == (
        "Fiche n° 3 (ligne 9) : l'identité ENT (IDENTITE_ENT_M) est vide ; cette personne est ignorée."
    )
    assert result.problems[2].message == (
        "Fiche n° 4 (ligne 12, PETIT Paul) : la date de naissance « 31/02/2012 » n'est pas une date "
        "valide (jj/mm/aaaa attendu) ; elle est ignorée, la personne est gardée."
    )
    assert "figure déjà dans la fiche n° 1" in result.problems[3].message


def test_missing_status_keeps_the_person_and_says_so():
    result = read_fiches(fiches(person(status="")))

    assert result.records[0].status == ""
    assert [problem.code for problem in result.problems] == ["missing_status"]
    assert result.statuses == {"": 1}


def test_too_long_field_drops_the_person():
    limits = Limits(max_field_chars=20)
    data = fiches(person(identity="1", ADRESSE_M="x" * 21), person(identity="2", ADRESSE_M="x" * 20))

    result = read_fiches(data, limits=limits)

    assert [record.ent_identity for record in result.records] == ["2"]
    assert [(p.position, p.code, p.field) for p in result.problems] == [(1, "field_too_long", "ADRESSE_M")]
    assert "le champ ADRESSE_M (l'adresse) compte 21 caractères, 20 au plus" in result.problems[0].message


def test_unknown_m_elements_are_silent_and_others_reported_once():
    data = fiches(
        person(identity="1", NOUVEAU_CHAMP_M="x", FOO="y"),
        person(identity="2", FOO="z"),
    ) .replace(b"<FICHES_XML>\n", b"<FICHES_XML>\n<ENTETE>export</ENTETE>\n<GENERE_M>x</GENERE_M>\n")

    result = read_fiches(data)

    assert len(result.records) == 2
    assert [(p.position, p.line, p.code, p.field) for p in result.problems] == [
        (0, 3, "unknown_element", "ENTETE"), (1, 5, "unknown_element", "FOO"),
    ]
    assert result.problems[0].message.startswith("Ligne 3 : l'élément « ENTETE » n'est pas connu")


def test_statuses_and_classes_summary():
    data = fiches(
        person(identity="1", status="Élève", CLASSE_M="6eA"),
        person(identity="2", status="Eleve", CLASSE_M="6eA"),
        person(identity="3", status="ELÈVE", CLASSE_M="5eB"),
        person(identity="4", status="Stagiaire"),
        person(identity="5"),
    )

    result = read_fiches(data)

    assert result.statuses == {"Élève": 3, "Stagiaire": 1, "Enseignant": 1}
    assert result.classes == {"5eB": 1, "6eA": 2}


def test_password_never_appears_in_repr():
    record = UserRecord(name="A B", ent_identity="1", status="Autre", password="hunter2")

    assert "hunter2" not in repr(record)
    assert "hunter2" not in repr(ReadResult(records=(record,), problems=(), encoding="UTF-8"))


def test_iter_fiches_yields_problems_and_records_in_file_order():
    data = fiches(person(identity="1"), person(name="", identity="2"), person(identity="3"))

    items = list(iter_fiches(io.BytesIO(data)))

    assert [type(item) for item in items] == [UserRecord, RecordProblem, UserRecord]
    assert [item.position for item in items] == [1, 2, 3]


def test_a_root_without_any_person_is_refused():
    with pytest.raises(EmptyFileError) as caught:
        read_fiches(b'<?xml version="1.0"?>\n<FICHES_XML>\n</FICHES_XML>\n')

    assert caught.value.message == "Le fichier ne contient aucune personne."


def test_record_limit():
    data = fiches(person(identity="1"), person(identity="2"), person(identity="3"))

    with pytest.raises(FileTooLargeError) as caught:
        read_fiches(data, limits=Limits(max_records=2))

    assert caught.value.code == "too_many_records"


def test_size_limit_applies_to_bytes_and_streams():
    data = fiches(person())

    for source in (data, io.BytesIO(data), bytearray(data), memoryview(data)):
        with pytest.raises(FileTooLargeError):
            read_fiches(source, limits=Limits(max_bytes=len(data) - 1))
    assert len(read_fiches(io.BytesIO(data), limits=Limits(max_bytes=len(data))).records) == 1


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-16", "UTF-16"), ("iso-8859-15", "ISO-8859-15"), ("iso-8859-1", "ISO-8859-1"),
     ("windows-1252", "windows-1252")],
)
def test_other_encodings_are_honoured(encoding, label):
    text = fiches(person(name="LŒUF Élodie" if encoding != "iso-8859-1" else "LEUF Élodie"),
                  declaration=f'<?xml version="1.0" encoding="{encoding}"?>\r\n').decode()

    result = read_fiches(text.encode(encoding))

    assert result.records[0].name.endswith("UF Élodie")
    assert result.encoding == label


def test_file_without_declaration_is_utf8():
    result = read_fiches(fiches(person(name="ÉTIENNE Zoé"), declaration=""))

    assert (result.records[0].name, result.encoding) == ("ÉTIENNE Zoé", "UTF-8")
