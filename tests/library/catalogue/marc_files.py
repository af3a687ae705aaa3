"""The two MARC files of ``tests/data/marc``, and the builders that write them (a test checks they match).

A BCDI export in UNIMARC, ISO-8859-1 with Windows letters and UNIMARC's sorting marks, and a MARC21
export in MARC-8, each with the records a real export brings — a record without title, a wrong ISBN,
a barcode twice, a copy without barcode, a book twice. Regenerate them with::

    DJANGO_SETTINGS_MODULE=sesame.config.settings_test .venv/bin/python -c "import django; django.setup(); \\
        from tests.library.catalogue.marc_files import write_fixtures; write_fixtures()"
"""

from pathlib import Path

from tests.library.factories import MARC21_LEADER, marc_field, marc_file, marc_record

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"
BCDI_FILE = DATA / "bcdi-unimarc-latin1.iso"
MARC21_FILE = DATA / "marc21-marc8.mrc"

f = marc_field


def bcdi_records():
    """A BCDI export: UNIMARC, copies in 995 ($f barcode, $k call number)."""
    return [
        marc_record(  # 1: the sorting marks around the article, a Windows œ, two copies
            f("001", "BCDI000101"),
            f("010", "a", "2-09-282154-7", "d", "6,50 EUR"),
            f("100", "a", "20130115d2013    m  y0frey50      ba"),
            f("101", "a", "fre", indicators="0 "),
            f("200", "a", "\x88L'\x89Œil du loup", "f", "Daniel Pennac", indicators="1 "),
            f("210", "a", "Paris", "c", "Nathan", "d", "DL 2013"),
            f("606", "a", "Zoo"), f("606", "a", "Afrique"), f("606", "a", "Amitié"),
            f("676", "a", "843"),
            f("700", "a", "Pennac", "b", "Daniel", indicators=" 1"),
            f("995", "f", "00012001", "k", "R PEN"),
            f("995", "f", "00012002", "k", "R PEN"),
        ),
        marc_record(  # 2: a wrong ISBN key: the record comes, the ISBN does not
            f("010", "a", "978-2-07-051369-5"),
            f("200", "a", "Vendredi ou la vie sauvage", "f", "Michel Tournier", indicators="1 "),
            f("210", "a", "Paris", "c", "Gallimard", "d", "1977"),
            f("606", "a", "Robinson"), f("607", "a", "Île déserte"),
            f("700", "a", "Tournier", "b", "Michel", indicators=" 1"),
            f("995", "f", "00012003", "k", "R TOU"),
        ),
        marc_record(  # 3: no title proper
            f("200", "e", "notice incomplète", indicators="1 "),
            f("995", "f", "00012099"),
        ),
        marc_record(  # 4: authors only in 200$f, year only in 100, a barcode of record 1, a copy without one
            f("100", "a", "20190315d2019    m  y0frey50      ba"),
            f("200", "a", "Les volcans", "e", "comprendre et observer", "f", "Élodie Vasseur",
              indicators="1 "),
            f("210", "c", "Milan", "d", "[s.d.]"),
            f("606", "a", "Volcan"), f("606", "a", "Séisme"),
            f("676", "a", "551.21"),
            f("995", "f", "00012001", "k", "551 VAS"),
            f("995", "f", "00012004", "k", "551 VAS"),
            f("995", "k", "551 VAS"),
        ),
        marc_record(  # 5: record 1 again (same ISBN, written as an ISBN-13) with a new copy
            f("010", "a", "9782092821541"),
            f("200", "a", "L'oeil du loup", indicators="1 "),
            f("995", "f", "00012005", "k", "R PEN"),
        ),
        marc_record(  # 6: an impossible year, a volume, co-authors in 701, copies shelved differently
            f("200", "a", "Tobie Lolness", "h", "1", "i", "La vie suspendue", indicators="1 "),
            f("210", "c", "Gallimard Jeunesse", "d", "3006"),
            f("700", "a", "Fombelle", "b", "Timothée de", indicators=" 1"),
            f("701", "a", "Place", "b", "François", indicators=" 1"),
            f("995", "f", "00012006", "k", "R FOM"),
            f("995", "f", "00012007", "k", "RJ FOM"),
        ),
    ]


def marc21_records():
    """A MARC21 export in MARC-8: Koha's 952, 852 and 949 holdings."""
    return [
        marc_record(
            f("008", "070301s2007    fr a          000 1 fre d"),
            f("020", "a", "9782070612758 (broché)"),
            f("100", "a", "Saint-Exupéry, Antoine de,", "d", "1900-1944.", indicators="1 "),
            f("245", "a", "Le petit prince /", "c", "Antoine de Saint-Exupéry.", indicators="13"),
            f("264", "a", "Paris :", "b", "Gallimard jeunesse,", "c", "2007.", indicators=" 1"),
            f("650", "a", "Amitié", "v", "Romans.", indicators=" 0"),
            f("650", "a", "Voyages.", indicators=" 0"),
            f("952", "p", "3000001", "o", "R SAI"),
            f("952", "p", "3000002", "o", "R SAI", "1", "1"),
            leader=MARC21_LEADER,
        ),
        marc_record(
            f("020", "a", "2-01-210131-3"),
            f("100", "a", "Goscinny, René,", indicators="1 "),
            f("245", "a", "Astérix le Gaulois /", "c", "texte de Goscinny ; dessins de Uderzo.",
              indicators="10"),
            f("260", "a", "Paris :", "b", "Hachette,", "c", "c1961."),
            f("650", "a", "Bandes dessinées.", indicators=" 0"),
            f("700", "a", "Uderzo, Albert,", indicators="1 "),
            f("852", "h", "BD", "i", "GOS", "p", "3000003"),
            leader=MARC21_LEADER,
        ),
        marc_record(
            f("008", "980101s1998    fr            000 1 fre d"),
            f("100", "a", "Hugo, Victor,", "d", "1802-1885.", indicators="1 "),
            f("245", "a", "Les misérables.", "n", "1,", "p", "Fantine :", "b", "roman.", indicators="14"),
            f("949", "i", "3000004", "a", "R HUG"),
            f("949", "a", "R HUG"),
            leader=MARC21_LEADER,
        ),
        marc_record(
            f("100", "a", "Anonyme"),
            f("650", "a", "Contes.", indicators=" 0"),
            leader=MARC21_LEADER,
        ),
        marc_record(
            f("020", "a", "9782321009436"),
            f("082", "a", "443", indicators="04"),
            f("245", "a", "Le Robert collège :", "b", "dictionnaire de français.", indicators="03"),
            f("264", "b", "Le Robert,", "c", "2019.", indicators=" 1"),
            f("952", "p", "3000005", "7", "1"),
            leader=MARC21_LEADER,
        ),
    ]


def write_fixtures() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    BCDI_FILE.write_bytes(marc_file(bcdi_records(), encoding="cp1252"))
    MARC21_FILE.write_bytes(marc_file(marc21_records(), encoding="marc-8"))

