"""The report of every change and why, as rows and as BCDI's RTF file (seed C, SPEC §2 step 5)."""

import re
from datetime import date, datetime

from sesame.sync import UpdateOptions, plan_update, report_rows, report_rtf
from sesame.sync.report import ReportRow
from sesame.sync.rtf import escape
from tests.sync.builders import borrower, numbered, person

BASE = [
    borrower(1, "DUPONT, Marie", school_class="6eA", in_lot=True),
    borrower(2, "LEFEVRE Chloe", status="Enseignant"),
    borrower(3, "PARTI Jean", in_lot=True, loans=1),
    borrower(4, "SORTI Paul", in_lot=True),
    borrower(5, "MÊME Inchangé", identity="ent-5"),
]
PEOPLE = numbered([
    person("DUPONT Marie", "ent-1", school_class="5eA", birth=date(2012, 1, 3)),
    person("LEFÈVRE Chloé", "ent-2", status="Enseignant"),
    person("ARRIVÉE Zoé", "ent-3", school_class="6eB"),
    person("MÊME Inchangé", "ent-5"),
])


def test_report_rows_list_every_change_with_its_reason():
    # given the final plan of a small start of year
    plan = plan_update(PEOPLE, BASE, UpdateOptions(final=True))
    # when its rows are made
    rows = report_rows(plan, new_numbers={"ent-3": 6})
    # then one row per change, grouped, and the unchanged borrower is left out
    name_only = "Même nom, sans date de naissance pour confirmer : à vérifier."
    assert rows == [
        ReportRow("Ajout", 6, "ARRIVÉE Zoé", "Absent de la base : nouvel emprunteur.",
                  "Statut : Elève ; Classe : 6eB"),
        ReportRow("Mise à jour", 1, "DUPONT Marie", name_only,
                  "Emprunteur : DUPONT, Marie → DUPONT Marie ; Classe : 6eA → 5eA ; "
                  "Date de naissance : (vide) → 03/01/2012 ; Identité ENT : (vide) → ent-1", True),
        ReportRow("Mise à jour", 2, "LEFÈVRE Chloé", name_only,
                  "Emprunteur : LEFEVRE Chloe → LEFÈVRE Chloé ; Identité ENT : (vide) → ent-2", True),
        ReportRow("Suppression", 4, "SORTI Paul", "Absent du fichier, sans prêt en cours : fiche supprimée.",
                  ""),
        ReportRow("Mise à l'écart", 3, "PARTI Jean",
                  "Absent du fichier, avec 1 prêt en cours : devient usager temporaire.",
                  "Type d'emprunteur : Usager → Usager temporaire"),
    ]


def _balanced(text: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\[\\{}]|[{}]", text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_report_rtf_is_ascii_rtf_with_every_borrower():
    # given the same plan
    plan = plan_update(PEOPLE, BASE, UpdateOptions(final=True))
    # when the RTF report is written
    data = report_rtf(plan, library_name="CDI du collège Jean-Moulin", uai="0750001A",
                      when=datetime(2026, 9, 3, 14, 5), file_name="export_ent.xml",
                      lot_expression="Statut=Elève")
    # then it is plain ASCII RTF, braces balanced, accents as \uN?
    text = data.decode("ascii")
    assert text.startswith("{\\rtf1\\ansi")
    assert _balanced(text)
    assert "LEF\\u200?VRE Chlo\\u233?" in text
    assert "Statut=El\\u232?ve" in text
    assert "le 03/09/2026 \\u224? 14:05" in text
    for name in ("ARRIVÉE Zoé", "DUPONT Marie", "LEFÈVRE Chloé", "SORTI Paul", "PARTI Jean"):
        assert escape(name) in text
    # and each group says how many it holds
    for heading in ("Nouveaux (1)", "Mis \\u224? jour (2, dont 2 ambigus)", "Supprim\\u233?s (1)",
                    "Mis \\u224? l'\\u233?cart (1)"):
        assert heading in text


def test_rtf_escape_of_special_and_astral_characters():
    assert escape("a{b}c\\d") == "a\\{b\\}c\\\\d"
    assert escape("é€") == "\\u233?\\u8364?"
    assert escape("\uffe0") == "\\u-32?"
    assert escape("😀") == "\\u-10179?\\u-8704?"  # the two UTF-16 halves of U+1F600
    assert escape("a\nb\tc\x07") == "a\\line b\\tab c"


def test_report_rtf_without_lot_and_with_pending_decisions():
    base = [borrower(1, "DUPONT Marie"), borrower(2, "DUPONT Marie"), borrower(3, "MARTNI Lucas")]
    people = numbered([person("DUPONT Marie", "ent-1"), person("MARTIN Lucas", "ent-2")])
    plan = plan_update(people, base, UpdateOptions(final=True))
    text = report_rtf(plan, library_name="CDI", uai="0750001A", when=datetime(2026, 1, 5, 8, 0),
                      file_name="f.xml", lot_expression=" ").decode("ascii")
    assert _balanced(text)
    assert "aucune \\u233?quation ; personne n'est supprim\\u233? ni mis \\u224? l'\\u233?cart." in text
    assert "Homonymes non r\\u233?solus (1)" in text and "n\\u176? 1, n\\u176? 2" in text
    assert "Suggestions non retenues (1)" in text and "ent-2" in text
