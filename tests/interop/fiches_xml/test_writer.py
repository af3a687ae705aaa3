"""Writer output: schema-valid, in schema order, UTF-8 without BOM, and read back unchanged."""

import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sesame.interop.fiches_xml import (
    XSD_PATH,
    FichesXmlError,
    Status,
    UserRecord,
    read_fiches,
    write_fiches,
)
from sesame.interop.fiches_xml.writer import write_fiches_to

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "fiches_xml"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD_PATH)))
SCHEMA_ORDER = [
    "EMPRUNTEUR_M", "DATE_NAISSANCE_M", "ADRESSE_M", "CODE_POSTAL_M", "VILLE_M", "TEL_M", "MEL_M",
    "STATUT_M_M", "CLASSE_M", "DIVEMPR_M", "COMPTE_M", "MOT_DE_PASSE_M", "IDENTITE_ENT_M",
    "TYPE_EMPRUNTEUR_M",
]

PUPIL = UserRecord(
    name="LEFÈVRE Chloé", ent_identity="ABC-8812345", status="Eleve", birth_date=datetime.date(2013, 2, 3),
    school_class="4eB", group="Latin", address="3, rue de l'Église", postal_code="45000", city="Orléans",
    phone="06 00 00 00 00", email="c.lefevre@example.org", password="x", borrower_type="Usager",
)
TEACHER = UserRecord(name="O'BRIEN Kévin", ent_identity="4410001", status="Enseignant")


def parse(content: bytes) -> etree._Element:
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))


def assert_valid(content: bytes) -> None:
    assert SCHEMA.validate(parse(content)), SCHEMA.error_log


def expected_after_round_trip(records):
    """What the reader gives back: canonical status, default borrower type, positions."""
    return tuple(
        dataclasses.replace(
            record, status=record.canonical_status or record.status,
            borrower_type=record.borrower_type or "Usager", position=position,
        )
        for position, record in enumerate(records, start=1)
    )


def test_output_starts_with_the_declaration_and_has_no_bom():
    content = write_fiches([PUPIL])

    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<FICHES_XML>')
    assert not content.startswith(b"\xef\xbb\xbf")
    content.decode("utf-8")


def test_children_are_in_schema_order_with_optional_ones_only_when_set():
    root = parse(write_fiches([PUPIL, TEACHER]))

    pupil, teacher = root
    assert [child.tag for child in pupil] == SCHEMA_ORDER
    without_class = [tag for tag in SCHEMA_ORDER if tag not in {"CLASSE_M", "DIVEMPR_M"}]
    assert [child.tag for child in teacher] == without_class
    assert {child.tag: child.text for child in teacher if child.text} == {
        "EMPRUNTEUR_M": "O'BRIEN Kévin", "STATUT_M_M": "Enseignant", "COMPTE_M": "OUI",
        "IDENTITE_ENT_M": "4410001", "TYPE_EMPRUNTEUR_M": "Usager",
    }
    assert {child.tag: child.text for child in pupil}["DATE_NAISSANCE_M"] == "03/02/2013"
    assert {child.tag: child.text for child in pupil}["STATUT_M_M"] == Status.PUPIL


def test_output_is_valid_against_the_schema():
    no_account = dataclasses.replace(TEACHER, ent_identity="2", has_account=False)
    assert_valid(write_fiches([PUPIL, TEACHER, no_account]))


@pytest.mark.parametrize("filename", ["open-ent-style.xml", "recia-style-windows-1252.xml",
                                      "liferay-style-no-birthdate.xml"])
def test_samples_rewritten_are_valid_and_read_back_the_same(filename):
    records = read_fiches((SAMPLES / filename).read_bytes()).records

    content = write_fiches(records)

    assert_valid(content)
    assert read_fiches(content).records == expected_after_round_trip(records)


def test_schema_refuses_what_the_format_forbids():
    valid = write_fiches([TEACHER])
    name = "<EMPRUNTEUR_M>O'BRIEN Kévin</EMPRUNTEUR_M>".encode()
    date = b"<DATE_NAISSANCE_M></DATE_NAISSANCE_M>"
    for broken in [
        valid.replace(name, b"<EMPRUNTEUR_M> </EMPRUNTEUR_M>"),
        valid.replace(date, b"<DATE_NAISSANCE_M>2013-02-03</DATE_NAISSANCE_M>"),
        valid.replace(b"<IDENTITE_ENT_M>4410001</IDENTITE_ENT_M>", b""),
        valid.replace(b"\t\t<TYPE_EMPRUNTEUR_M>Usager</TYPE_EMPRUNTEUR_M>\n", b"").replace(
            b"<EMPRUNTEURS>\n", b"<EMPRUNTEURS>\n<TYPE_EMPRUNTEUR_M>Usager</TYPE_EMPRUNTEUR_M>"),
    ]:
        assert broken != valid
        assert not SCHEMA.validate(parse(broken))


def test_special_characters_are_escaped_and_come_back():
    record = dataclasses.replace(
        TEACHER, name='D\'ARC & <FILS> "Jeanne" ]]>', address="ligne 1\r\nligne 2\n\tfin", password="a&b<c",
    )

    content = write_fiches([record])

    assert b"&amp;" in content and b"&lt;FILS&gt;" in content and b"]]&gt;" in content
    assert_valid(content)
    assert read_fiches(content).records == expected_after_round_trip([record])


def test_characters_xml_cannot_carry_are_dropped():
    record = dataclasses.replace(
        TEACHER, name="DUP\x00ONT\x1b Jean\x0b", city="Lyon\ufffe\ud800", email="\x7fa@b"
    )

    content = write_fiches([record])

    assert_valid(content)
    [back] = read_fiches(content).records
    assert (back.name, back.city, back.email) == ("DUPONT Jean", "Lyon", "\x7fa@b")


@pytest.mark.parametrize(
    "change", [{"name": ""}, {"name": " \x01 "}, {"ent_identity": ""}, {"status": "  "}],
)
def test_a_person_without_required_value_is_refused_before_writing(change):
    with pytest.raises(ValueError, match="personne n° 2"):
        write_fiches([TEACHER, dataclasses.replace(TEACHER, **change)])


def test_writing_to_a_stream_gives_the_same_bytes_and_the_count():
    records = [dataclasses.replace(TEACHER, ent_identity=str(n)) for n in range(1234)]
    stream = io.BytesIO()

    count = write_fiches_to(stream, iter(records))

    assert count == 1234
    assert stream.getvalue() == write_fiches(records)
    assert len(read_fiches(stream.getvalue()).records) == 1234


def test_no_person_gives_a_file_the_reader_refuses():
    content = write_fiches([])

    assert content == b'<?xml version="1.0" encoding="UTF-8"?>\n<FICHES_XML>\n</FICHES_XML>\n'
    with pytest.raises(FichesXmlError):
        read_fiches(content)


# --- properties ------------------------------------------------------------------------------

_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n\r&<>'\"éÉèçœŒ -"
)
_text = st.text(_ALPHABET, max_size=25).map(str.strip)
_required = _text.filter(bool)
_status = st.sampled_from([*Status, "Elève", "Eleve", "ELEVE", "Invite"]) | _required
_dates = st.none() | st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))

records_strategy = st.builds(
    UserRecord,
    name=_required, ent_identity=_required, status=_status, birth_date=_dates, school_class=_text,
    group=_text, address=_text, postal_code=_text, city=_text, phone=_text, email=_text,
    has_account=st.booleans(), password=_text, borrower_type=_text,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records_strategy, min_size=1, max_size=8, unique_by=lambda record: record.ent_identity))
def test_round_trip_property(records):
    content = write_fiches(records)

    assert_valid(content)
    assert read_fiches(content).records == expected_after_round_trip(records)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.text(max_size=10))
def test_any_text_gives_a_well_formed_file(record, noise):
    """Whatever the characters, the output parses; values lose only what XML cannot carry."""
    record = dataclasses.replace(record, address=noise + record.address + noise, city=noise)

    content = write_fiches([record])

    parse(content)
    assert len(read_fiches(content).records) == 1
