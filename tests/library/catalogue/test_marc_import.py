"""Import of records from UNIMARC and MARC21 files (SPEC §2): exact records and copies, reasons, refusals.

The files of ``tests/data/marc`` are a BCDI export in UNIMARC and a MARC21 export in MARC-8
(``marc_files``: the builders that write them). The command ``import_marc``: ``test_marc_command.py``.
"""

from datetime import UTC, datetime

import pytest

from sesame.library.catalogue.errors import MarcFileError
from sesame.library.catalogue.marc import importer as marc_import_module
from sesame.library.catalogue.marc.importer import marc_import, parse_file
from sesame.library.catalogue.marc.read import read_records
from sesame.library.models import Copy, LibraryEvent, Record
from tests.library.factories import (
    MARC21_LEADER,
    catalogue_dump,
    make_record,
    marc_bytes,
    marc_field,
    marc_file,
    marc_record,
)

from .marc_files import BCDI_FILE, MARC21_FILE, bcdi_records, marc21_records

f = marc_field


RECORD_FIELDS = ("title", "authors", "publisher", "year", "isbn", "subjects", "support", "call_number")


def records(library) -> list[tuple]:
    return list(Record.objects.filter(library=library).order_by("pk").values_list(*RECORD_FIELDS))


def copies(library) -> list[tuple]:
    return list(Copy.objects.filter(library=library).order_by("barcode").values_list(
        "record__title", "barcode", "status"))


def messages(report) -> list[str]:
    return [line.message for line in report.sorted_lines()]


# --- The committed files ------------------------------------------------------------------------


def test_the_committed_fixtures_are_what_the_builders_write():
    assert BCDI_FILE.read_bytes() == marc_file(bcdi_records(), encoding="cp1252")
    assert MARC21_FILE.read_bytes() == marc_file(marc21_records(), encoding="marc-8")
    assert b"\x88L'\x89\x8cil du loup" in BCDI_FILE.read_bytes()  # sorting marks, and œ as Windows writes it
    assert b"Ast\xe2erix" in MARC21_FILE.read_bytes()  # MARC-8: the accent before its letter


def test_a_bcdi_unimarc_export_is_imported_exactly(library):
    report = marc_import(library=library, acting_user=None, content=BCDI_FILE.read_bytes(),
                         file_name=BCDI_FILE.name)

    assert report.format_note == "Format reconnu : UNIMARC (titres en zone 200)."
    assert report.encoding_note() == "Encodage des caractères : ISO-8859-1."
    assert report.summary() == ("Notices lues : 6 — importées : 4 — déjà au catalogue : 1 — ignorées : 1 — "
                                "exemplaires ajoutés : 7.")
    assert records(library) == [
        ("L'Œil du loup", "Pennac, Daniel", "Nathan", 2013, "9782092821541", "Zoo ; Afrique ; Amitié",
         "Livre", "R PEN"),
        ("Vendredi ou la vie sauvage", "Tournier, Michel", "Gallimard", 1977, "", "Robinson ; Île déserte",
         "Livre", "R TOU"),
        ("Les volcans : comprendre et observer", "Élodie Vasseur", "Milan", 2019, "", "Volcan ; Séisme",
         "Livre", "551 VAS"),
        ("Tobie Lolness. 1, La vie suspendue", "Fombelle, Timothée de ; Place, François",
         "Gallimard Jeunesse", None, "", "", "Livre", "R FOM"),
    ]
    assert copies(library) == [
        ("L'Œil du loup", "00012001", "disponible"),
        ("L'Œil du loup", "00012002", "disponible"),
        ("Vendredi ou la vie sauvage", "00012003", "disponible"),
        ("Les volcans : comprendre et observer", "00012004", "disponible"),
        ("L'Œil du loup", "00012005", "disponible"),
        ("Tobie Lolness. 1, La vie suspendue", "00012006", "disponible"),
        ("Tobie Lolness. 1, La vie suspendue", "00012007", "disponible"),
    ]
    assert messages(report) == [
        "Notice 2 : ISBN « 978-2-07-051369-5 » non repris — ISBN invalide : la clé de contrôle devrait être "
        "7. La notice est importée sans ISBN.",
        "Notice 3 : pas de titre (200$a) — ignorée.",
        "Notice 4 : exemplaire 00012001 non repris — le code-barre figure déjà dans la notice 1 du fichier.",
        "Notice 4 : exemplaire sans code-barre (995$f) non repris.",
        "Notice 5 : même livre que la notice 1 du fichier — exemplaires ajoutés à cette notice : 1.",
        "Notice 6 : année « 3006 » invraisemblable, non reprise.",
        "Notice 6 : cotes différentes selon les exemplaires (R FOM, RJ FOM) — la première est gardée pour la "
        "notice.",
    ]


def test_a_marc21_export_in_marc8_is_imported_exactly(library):
    report = marc_import(library=library, acting_user=None, content=MARC21_FILE.read_bytes(),
                         file_name=MARC21_FILE.name)

    assert report.format_note == "Format reconnu : MARC21 (titres en zone 245)."
    assert report.encoding_note() == "Encodage des caractères : MARC-8."
    assert report.summary() == ("Notices lues : 5 — importées : 4 — déjà au catalogue : 0 — ignorées : 1 — "
                                "exemplaires ajoutés : 5.")
    assert records(library) == [
        ("Le petit prince", "Saint-Exupéry, Antoine de", "Gallimard jeunesse", 2007, "9782070612758",
         "Amitié ; Voyages", "Livre", "R SAI"),
        ("Astérix le Gaulois", "Goscinny, René ; Uderzo, Albert", "Hachette", 1961, "9782012101319",
         "Bandes dessinées", "Livre", "BD GOS"),
        ("Les misérables. 1, Fantine : roman", "Hugo, Victor", "", 1998, "", "", "Livre", "R HUG"),
        ("Le Robert collège : dictionnaire de français", "", "Le Robert", 2019, "9782321009436", "", "Livre",
         "443"),
    ]
    assert copies(library) == [
        ("Le petit prince", "3000001", "disponible"),
        ("Le petit prince", "3000002", "perdu"),
        ("Astérix le Gaulois", "3000003", "disponible"),
        ("Les misérables. 1, Fantine : roman", "3000004", "disponible"),
        ("Le Robert collège : dictionnaire de français", "3000005", "exclu du prêt"),
    ]
    assert messages(report) == [
        "Notice 3 : exemplaire sans code-barre (949$i) non repris.",
        "Notice 4 : pas de titre (245$a) — ignorée.",
    ]


def test_importing_the_same_file_twice_adds_nothing(library):
    marc_import(library=library, acting_user=None, content=BCDI_FILE.read_bytes())
    before = catalogue_dump()

    report = marc_import(library=library, acting_user=None, content=BCDI_FILE.read_bytes())

    assert catalogue_dump() == before
    assert report.summary() == ("Notices lues : 6 — importées : 0 — déjà au catalogue : 5 — ignorées : 1 — "
                                "exemplaires ajoutés : 0.")
    assert messages(report)[:3] == [
        "Notice 1 : déjà au catalogue (« L'Œil du loup ») — ignorée.",
        "Notice 2 : déjà au catalogue (« Vendredi ou la vie sauvage ») — ignorée.",
        "Notice 3 : pas de titre (200$a) — ignorée.",
    ]


def test_new_copies_of_a_book_already_catalogued_join_its_record(library):
    prince = Record.objects.create(library=library, title="Le Petit Prince", isbn="9782070612758")
    Copy.objects.create(library=library, record=prince, barcode="3000001")
    other = make_record(library, "Notice sans rapport")
    Copy.objects.create(library=library, record=other, barcode="3000003")

    report = marc_import(library=library, acting_user=None, content=MARC21_FILE.read_bytes())

    assert messages(report)[:2] == [
        "Notice 1 : déjà au catalogue (« Le Petit Prince ») — exemplaires ajoutés à cette notice : 1.",
        "Notice 2 : exemplaire 3000003 non repris — le code-barre existe déjà (« Notice sans rapport »).",
    ]
    assert list(prince.copies.order_by("barcode").values_list("barcode", "status")) == [
        ("3000001", "disponible"), ("3000002", "perdu")]
    assert Record.objects.filter(library=library, title="Astérix le Gaulois").get().copies.count() == 0


def test_a_record_without_isbn_is_recognised_by_all_it_says_of_itself(library):
    content = marc_file([
        marc_record(f("200", "a", "Contes d'Afrique", indicators="1 "),
                    f("210", "c", "Flammarion", "d", "2006"),
                    f("995", "f", "1")),
        marc_record(f("200", "a", "Contes d'Afrique", indicators="1 "), f("210", "c", "Milan", "d", "2006"),
                    f("995", "f", "2")),
        marc_record(f("200", "a", "CONTES D’AFRIQUE", indicators="1 "),
                    f("210", "c", "flammarion", "d", "2006"),
                    f("995", "f", "3")),
    ])

    report = marc_import(library=library, acting_user=None, content=content)

    assert [(title, publisher) for title, _, publisher, *_ in records(library)] == [
        ("Contes d'Afrique", "Flammarion"), ("Contes d'Afrique", "Milan")]
    assert messages(report) == [
        "Notice 3 : même livre que la notice 1 du fichier — exemplaires ajoutés à cette notice : 1."]


@pytest.mark.parametrize(("existing_isbn", "imported_isbn", "records_after"), [
    ("9782070513697", "978-2-07-051369-5", 1),  # the file's ISBN is mistyped: the text recognises the book
    ("", "978-2-07-051369-7", 1),  # typed by hand without ISBN: the file's record is the same book
    ("9782070513697", "2-07-051369-6", 1),  # the same ISBN, written as an ISBN-10
    ("9782070368228", "978-2-07-051369-7", 2),  # two ISBNs: two editions, never merged
])
def test_how_a_book_already_catalogued_is_recognised(library, existing_isbn, imported_isbn, records_after):
    Record.objects.create(library=library, title="Vendredi ou la vie sauvage", authors="Tournier, Michel",
                          publisher="Gallimard", year=1977, isbn=existing_isbn)
    content = marc_bytes(marc_record(
        f("010", "a", imported_isbn),
        f("200", "a", "Vendredi ou la vie sauvage", indicators="1 "),
        f("210", "c", "Gallimard", "d", "1977"),
        f("700", "a", "TOURNIER", "b", "Michel"),
        f("995", "f", "4242"),
    ))

    report = marc_import(library=library, acting_user=None, content=content)

    assert Record.objects.filter(library=library).count() == records_after
    if records_after == 1:
        assert messages(report) == [
            "Notice 1 : déjà au catalogue (« Vendredi ou la vie sauvage ») — exemplaires ajoutés à cette "
            "notice : 1."]
        assert copies(library) == [("Vendredi ou la vie sauvage", "4242", "disponible")]


# --- Encodings and formats ----------------------------------------------------------------------


def _prince(leader=None, **options):
    fields = [f("200", "a", "\u0088Le \u0089Petit Prince", "f", "Antoine de Saint-Exupéry", indicators="1 "),
              f("700", "a", "Saint-Exupéry", "b", "Antoine de")]
    record = marc_record(*fields) if leader is None else marc_record(*fields, leader=leader)
    return marc_bytes(record, **options)


@pytest.mark.parametrize(("options", "encoding"), [
    ({"encoding": "utf-8"}, "UTF-8"),
    ({"encoding": "utf-8", "declare_utf8": True}, "UTF-8"),
    ({"encoding": "latin-1"}, "ISO-8859-1"),
    ({"encoding": "cp1252"}, "ISO-8859-1"),
])
def test_unimarc_in_utf8_or_iso_8859_1_reads_the_same(options, encoding):
    candidates, report = parse_file(_prince(**options))

    assert [(c.values["title"], c.values["authors"]) for c in candidates] == [
        ("Le Petit Prince", "Saint-Exupéry, Antoine de")]
    assert report.encoding_note() == f"Encodage des caractères : {encoding}."


@pytest.mark.parametrize(("options", "encoding"), [
    ({"encoding": "utf-8", "declare_utf8": True}, "UTF-8"),
    ({"encoding": "utf-8"}, "UTF-8"),  # position 9 forgotten: the bytes say UTF-8
    ({"encoding": "marc-8"}, "MARC-8"),
])
def test_marc21_in_utf8_or_marc8_reads_the_same(options, encoding):
    record = marc_record(f("100", "a", "Saint-Exupéry, Antoine de,"), f("245", "a", "Le Petit Prince /"),
                         f("650", "a", "Œuvres pour la jeunesse."), leader=MARC21_LEADER)

    candidates, report = parse_file(marc_bytes(record, **options))

    assert [(c.values["title"], c.values["authors"], c.values["subjects"]) for c in candidates] == [
        ("Le Petit Prince", "Saint-Exupéry, Antoine de", "Œuvres pour la jeunesse")]
    assert report.encoding_note() == f"Encodage des caractères : {encoding}."


def test_a_record_said_utf8_that_is_not_is_read_as_iso_8859_1_and_reported():
    record = marc_record(f("245", "a", "L'été"), leader=MARC21_LEADER)

    candidates, report = parse_file(marc_bytes(record, encoding="latin-1", declare_utf8=True))

    assert candidates[0].values["title"] == "L'été"
    assert messages(report) == ["Notice 1 : annoncée en UTF-8 mais n'en est pas, lue en ISO-8859-1."]


def test_a_file_with_mixed_encodings_says_so():
    content = _prince(encoding="utf-8") + _prince(encoding="latin-1") + _prince(encoding="latin-1")

    _, report = parse_file(content)

    assert report.encoding_note() == "Encodages des caractères (notices) : ISO-8859-1 : 2, UTF-8 : 1."


@pytest.mark.parametrize(("fmt", "note"), [
    ("unimarc", "Format indiqué : UNIMARC."),
    ("marc21", "Format indiqué : MARC21."),
])
def test_the_format_given_is_used_and_said(fmt, note):
    candidates, report = parse_file(_prince(), fmt=fmt)

    assert report.format_note == note
    if fmt == "marc21":  # a UNIMARC record read as MARC21 has no 245: skipped, with the reason
        assert candidates == []
        assert messages(report) == ["Notice 1 : pas de titre (245$a) — ignorée."]


def test_the_format_is_detected_from_other_fields_when_no_record_has_a_title():
    content = marc_file([marc_record(f("010", "a", "2070612759"), f("210", "c", "Gallimard"))])

    _, report = parse_file(content)

    assert report.format_note == "Format reconnu : UNIMARC (zones propres à UNIMARC)."
    assert messages(report) == ["Notice 1 : pas de titre (200$a) — ignorée."]


def test_the_support_comes_from_the_leader():
    video = marc_record(f("200", "a", "Le Petit Prince", indicators="1 "), leader="00000ngm  2200000   450 ")
    serial = marc_record(f("200", "a", "Okapi", indicators="1 "), leader="00000nas  2200000   450 ")

    candidates, _ = parse_file(marc_file([video, serial]))

    assert [c.values["support"] for c in candidates] == ["Vidéo", "Périodique"]


def test_a_long_title_is_cut_and_said(library):
    content = marc_bytes(marc_record(f("200", "a", "Histoire " * 70, indicators="1 ")))

    report = marc_import(library=library, acting_user=None, content=content)

    assert len(records(library)[0][0]) == 500
    assert messages(report) == ["Notice 1 : champ « Titre » coupé à 500 caractères."]


def test_a_badly_formed_barcode_is_not_taken(library):
    content = marc_bytes(marc_record(f("200", "a", "Le lion", indicators="1 "), f("995", "f", "12 34")))

    report = marc_import(library=library, acting_user=None, content=content)

    assert copies(library) == []
    assert messages(report) == [
        "Notice 1 : exemplaire « 12 34 » non repris — code-barre incorrect (lettres, chiffres et - _ / . "
        "seulement, 40 caractères au plus)."]


# --- Damaged records and files that are not MARC --------------------------------------------------


def test_a_damaged_record_among_good_ones_is_skipped_with_its_reason(library):
    good = _prince(encoding="utf-8")
    damaged = b"00100nam  22000491i 450 " + b"garbage" + b"\x1d"

    report = marc_import(library=library, acting_user=None,
                         content=good + damaged + good.replace(b"Petit", b"Grand"))

    assert [row[0] for row in records(library)] == ["Le Petit Prince", "Le Grand Prince"]
    assert messages(report) == ["Notice 2 : illisible (répertoire incorrect) — ignorée."]


def test_records_whose_lengths_were_broken_by_a_text_editor_are_read_field_by_field(library):
    # A latin-1 file "converted" to UTF-8 by a tool that knows nothing of ISO 2709: the lengths in
    # the directory still count the old bytes.
    record = marc_record(f("200", "a", "Les Misérables", indicators="1 "),
                         f("700", "a", "Hugo", "b", "Victor"), f("995", "f", "777"))
    latin1 = marc_bytes(record, encoding="latin-1")
    converted = latin1.decode("latin-1").encode("utf-8")

    report = marc_import(library=library, acting_user=None, content=converted + b"\r\n")

    assert records(library) == [("Les Misérables", "Hugo, Victor", "", None, "", "", "Livre", "")]
    assert copies(library) == [("Les Misérables", "777", "disponible")]
    assert messages(report) == ["Notice 1 : longueurs du répertoire incorrectes (fichier modifié par un "
                                "éditeur de texte ?), notice relue zone par zone."]


@pytest.mark.parametrize(("content", "message"), [
    (b"Titre;Auteur;ISBN\r\nLe Petit Prince;Saint-Exupery;9782070612758\r\n",
     "Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune notice importée."),
    (bytes(range(256)) * 8,
     "Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune notice importée."),
    (b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim"/>',
     "Ce fichier est du XML (MARCXML ?), pas un fichier ISO 2709 : exportez les notices au format UNIMARC ou "
     "MARC21 « ISO 2709 ». Aucune notice importée."),
    (b"", "Le fichier est vide : aucune notice importée."),
    (b"\r\n", "Le fichier est vide : aucune notice importée."),
    (b"%PDF-1.7\n" + b"\x1d" * 3,
     "Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune notice importée."),
])
def test_a_file_that_is_not_marc_is_refused_and_nothing_is_imported(library, content, message):
    make_record(library)
    before = catalogue_dump()

    with pytest.raises(MarcFileError) as error:
        marc_import(library=library, acting_user=None, content=content)

    assert error.value.message == message
    assert catalogue_dump() == before


def test_a_file_of_authority_records_is_refused(library):
    authorities = [marc_record(f("100", "a", "Pennac, Daniel"), leader="00000nz  a2200000n  4500"),
                   marc_record(f("250", "a", "Volcans"), leader="00000nz  a2200000n  4500")]
    before = catalogue_dump()

    with pytest.raises(MarcFileError) as error:
        marc_import(library=library, acting_user=None, content=marc_file(authorities))

    assert error.value.message == ("Ce fichier contient des notices d'autorité (auteurs, sujets), pas des "
                                   "notices bibliographiques : aucune notice importée.")
    assert catalogue_dump() == before


def test_a_file_mostly_damaged_is_refused():
    good = _prince()
    damaged = b"99999nam  22000491i 450 x\x1d"

    with pytest.raises(MarcFileError) as error:
        read_records(good + damaged + damaged)

    assert error.value.message == ("Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 "
                                   "(ISO 2709) : aucune notice importée.")


def test_records_with_neither_title_field_need_the_format(library):
    content = marc_bytes(marc_record(f("100", "a", "Anonyme"), f("700", "a", "Anonyme")))
    before = catalogue_dump()

    with pytest.raises(MarcFileError) as error:
        marc_import(library=library, acting_user=None, content=content)

    assert error.value.message == ("Format non reconnu : les notices n'ont ni zone 200 (titre UNIMARC) ni "
                                   "zone 245 (titre MARC21). Indiquez le format. Aucune notice importée.")
    assert catalogue_dump() == before


def test_everything_or_nothing(library, monkeypatch):
    """One transaction: a failure while writing the copies leaves no record behind."""
    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(marc_import_module.Copy.objects, "bulk_create", broken)
    before = catalogue_dump()

    with pytest.raises(RuntimeError):
        marc_import(library=library, acting_user=None, content=BCDI_FILE.read_bytes())

    assert catalogue_dump() == before


def test_a_dry_run_reports_and_writes_nothing(library):
    before = catalogue_dump()

    report = marc_import(library=library, acting_user=None, content=BCDI_FILE.read_bytes(), dry_run=True)

    assert report.imported == 4 and report.copies == 7
    assert "Simulation : rien n'a été enregistré." in report.as_text()
    assert catalogue_dump() == before
    assert not LibraryEvent.objects.exists()  # nor any journal line


def test_the_import_is_journalled_with_who_made_it_and_its_counts(library, librarian, clock):
    now = datetime(2025, 9, 2, 8, 30, tzinfo=UTC)
    clock.set(now)

    marc_import(library=library, acting_user=librarian, content=BCDI_FILE.read_bytes(),
                file_name=BCDI_FILE.name)

    assert list(LibraryEvent.objects.values_list("library", "action", "actor", "at", "detail", "data")) == [
        (library.pk, "marc_import", librarian.pk, now,
         "bcdi-unimarc-latin1.iso : 4 notice(s), 7 exemplaire(s)",
         {"file": "bcdi-unimarc-latin1.iso", "format": "unimarc", "read": 6, "imported": 4, "merged": 1,
          "skipped": 1, "copies": 7}),
    ]


def test_a_refused_file_is_not_journalled(library):
    with pytest.raises(MarcFileError):
        marc_import(library=library, acting_user=None, content=b"Titre;Auteur\n")

    assert not LibraryEvent.objects.exists()
