"""The three real-shaped samples give exactly what a person reads in them, field by field."""

import datetime
import io
from pathlib import Path

import pytest

from sesame.interop.fiches_xml import ReadResult, Status, UserRecord, iter_fiches, read_fiches

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "fiches_xml"

EXPECTED = {
    # UTF-8 with a BOM, every element present, tabs, "Élève".
    "open-ent-style.xml": (
        "UTF-8",
        (
            UserRecord(
                name="LEFÈVRE Chloé",
                ent_identity="ABC-8812345",
                status="Élève",
                birth_date=datetime.date(2013, 2, 3),
                school_class="4eB",
                has_account=True,
                password="esidoc-pwd",
                borrower_type="Usager",
                position=1,
            ),
            UserRecord(
                name="DE LA FONTAINE Jean-Baptiste",
                ent_identity="ABC-7700021",
                status="Enseignant",
                birth_date=datetime.date(1979, 7, 21),
                has_account=True,
                password="esidoc-pwd",
                borrower_type="Usager",
                position=2,
            ),
        ),
    ),
    # windows-1252 declared, CRLF, "Elève", no TYPE_EMPRUNTEUR_M.
    "recia-style-windows-1252.xml": (
        "windows-1252",
        (
            UserRecord(
                name="NGUYEN Thi-Loan",
                ent_identity="F0a7c31e-5d21",
                status="Elève",
                birth_date=datetime.date(2012, 11, 17),
                school_class="3eA",
                address="12 rue des Écoles",
                postal_code="37000",
                city="Tours",
                has_account=True,
                password="k2v9wqa",
                position=1,
            ),
            UserRecord(
                name="MÜLLER Zoé",
                ent_identity="F0b11d2a-9e40",
                status="Personnel",
                birth_date=datetime.date(1985, 1, 5),
                email="zoe.muller@example.org",
                has_account=True,
                password="p4ax81m",
                position=2,
            ),
        ),
    ),
    # UTF-8, empty elements omitted, no birth date, no COMPTE_M, another element order.
    "liferay-style-no-birthdate.xml": (
        "UTF-8",
        (
            UserRecord(
                name="GARCIA Inès",
                ent_identity="4412098",
                status="Elève",
                school_class="6eC",
                has_account=True,
                password="Qm7hT2sd",
                borrower_type="Usager",
                position=1,
            ),
            UserRecord(
                name="O'BRIEN Kévin",
                ent_identity="4410001",
                status="Enseignant",
                email="kevin.obrien@example.org",
                has_account=True,
                password="b8Rr0qLe",
                borrower_type="Usager",
                position=2,
            ),
        ),
    ),
}


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_sample_gives_exactly_the_people_in_it(filename):
    encoding, records = EXPECTED[filename]

    result = read_fiches((SAMPLES / filename).read_bytes())

    assert result == ReadResult(records=records, problems=(), encoding=encoding)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_sample_read_from_an_open_file_gives_the_same_people(filename):
    with (SAMPLES / filename).open("rb") as stream:
        items = list(iter_fiches(stream))

    assert tuple(items) == EXPECTED[filename][1]


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_sample_read_one_byte_at_a_time_gives_the_same_people(filename):
    class OneByte(io.BytesIO):
        def read(self, size=-1):
            return super().read(1)

    result = read_fiches(OneByte((SAMPLES / filename).read_bytes()))

    assert result.records == EXPECTED[filename][1]
    assert result.encoding == EXPECTED[filename][0]


def test_every_spelling_of_pupil_is_the_same_status():
    statuses = {
        record.canonical_status
        for filename in EXPECTED
        for record in read_fiches((SAMPLES / filename).read_bytes()).records
    }

    assert statuses == {Status.PUPIL, Status.TEACHER, Status.STAFF}


def test_summary_counts_people_per_canonical_status_and_per_class():
    result = read_fiches((SAMPLES / "recia-style-windows-1252.xml").read_bytes())

    assert result.statuses == {"Élève": 1, "Personnel": 1}
    assert result.classes == {"3eA": 1}

