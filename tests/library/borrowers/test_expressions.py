"""Search expressions over borrowers (BCDI's *équation de recherche*, SPEC §2).

The lot of the borrower update decides who is deleted, so the tests pin both what a valid line
selects and the exact French message (with its character) of every malformed line.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sesame.library.borrowers.expressions import (
    FIELD_LABELS,
    Expression,
    ExpressionError,
    borrower_values,
    fold,
    parse_expression,
)
from sesame.library.borrowers.expressions import Operation as Op
from sesame.library.borrowers.expressions import Term as T
from sesame.sync import normalize

PUPIL = {"status": "Élève", "school_class": "3 J2", "name": "LEFÈVRE Chloé", "borrower_type": "Usager",
         "number": "12", "ent_identity": "ENT0001", "email": "chloe.lefevre@example.fr",
         "birth_date": "14/05/2011"}
PUPIL_6 = {**PUPIL, "school_class": "6eA", "name": "N'DIAYE Moussa", "number": "13", "ent_identity": "",
           "email": "", "birth_date": "02/09/2013"}
TEACHER = {"status": "Enseignant", "school_class": "", "name": "Mme MARTIN", "borrower_type": "Usager",
           "number": "3", "ent_identity": "ENT0900", "email": "", "birth_date": ""}
LEFT = {"status": "Elève", "school_class": "3eB", "name": "SACRÉ-CŒUR Anne",
        "borrower_type": "Usager temporaire", "number": "40", "ent_identity": "", "email": "",
        "birth_date": "30/11/2010"}
NO_STATUS = {"status": "", "school_class": "", "name": "DUPONT, Marie", "borrower_type": "Usager",
             "number": "41", "ent_identity": "", "email": "", "birth_date": ""}
COMPANY = {**NO_STATUS, "name": "DUPONT ET FILS", "number": "42"}
BASE = {"pupil": PUPIL, "pupil_6": PUPIL_6, "teacher": TEACHER, "left": LEFT, "no_status": NO_STATUS,
        "company": COMPANY}


def selected(text: str) -> set[str]:
    expression = parse_expression(text)
    return {name for name, values in BASE.items() if expression.matches(values)}


def error(text: str) -> tuple[str, int]:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    return str(caught.value), caught.value.position


# --- The seed's expressions ---------------------------------------------------------------------


def test_seed_lot_of_pupils():
    expression = parse_expression("Statut=Elève")
    assert expression.root == T("status", "Elève")
    assert expression.fields == frozenset({"status"})
    assert str(expression) == "Statut=Elève"
    assert selected("Statut=Elève") == {"pupil", "pupil_6", "left"}


def test_seed_temporary_borrowers():
    expression = parse_expression("Type d'emprunteur=Usager temporaire")
    assert expression.root == T("borrower_type", "Usager temporaire")
    assert selected("Type d'emprunteur=Usager temporaire") == {"left"}
    # Without a wildcard the whole value must match: "Usager" is not "Usager temporaire".
    assert selected("Type d'emprunteur=Usager") == {"pupil", "pupil_6", "teacher", "no_status", "company"}


def test_empty_status_for_the_check_before_the_first_update():
    assert parse_expression("Statut=").root == T("status", "")
    assert selected("Statut=") == {"no_status", "company"}
    # Punctuation is not part of a word (one fold, see below): "*,*" asks for two words or more,
    # so "DUPONT ET FILS" comes too; the names typed with a comma are the check page's own list.
    assert selected("Statut= ET Emprunteur=*,*") == {"no_status", "company"}
    assert selected("Statut= ET Emprunteur=*,*") == selected("Statut= ET Emprunteur=* *")
    assert selected('Statut=""') == {"no_status", "company"}


# --- Fields, aliases, accents and case ----------------------------------------------------------


@pytest.mark.parametrize(("label", "key"), [
    ("Statut", "status"), ("statut", "status"), ("STATUT", "status"),
    ("Classe", "school_class"),
    ("Emprunteur", "name"), ("Nom", "name"),
    ("Type d'emprunteur", "borrower_type"), ("Type d’emprunteur", "borrower_type"),
    ("type emprunteur", "borrower_type"), ("Type", "borrower_type"),
    ("N° emprunteur", "number"), ("Numéro", "number"), ("numero", "number"), ("No emprunteur", "number"),
    ("Identité ENT", "ent_identity"), ("identite ent", "ent_identity"), ("Identité E.", "ent_identity"),
    ("Mel", "email"), ("Mél", "email"), ("Courriel", "email"), ("E-mail", "email"),
    ("Date de naissance", "birth_date"), ("date de naissance", "birth_date"),
])
def test_field_labels_and_aliases(label, key):
    assert parse_expression(f"{label}=x").root == T(key, "x")
    assert str(parse_expression(f"{label}=x")) == f"{FIELD_LABELS[key]}=x"


@pytest.mark.parametrize("text", [
    "Statut=Elève", "statut=eleve", "STATUT=ÉLÈVE", "Statut=élève", "Statut = Elève ", "Statut=  elEVE",
])
def test_case_and_accents_do_not_matter(text):
    assert selected(text) == {"pupil", "pupil_6", "left"}


def test_ligatures_hyphens_and_spaces():
    assert selected("Emprunteur=sacre-coeur anne") == {"left"}
    assert selected("Emprunteur=SACRÉ-CŒUR   ANNE") == {"left"}
    assert selected("Classe=3 J2") == {"pupil"}
    assert selected("Classe=3  j2") == {"pupil"}
    assert selected("Emprunteur=N’DIAYE Moussa") == {"pupil_6"}


def test_fold():
    assert fold("  Cœur  d’ÉLÈVE ") == "coeur d eleve"
    assert fold("Ægir Straße") == "aegir strasse"
    assert fold("NGUYỄN Thị") == "nguyen thi"


def test_one_fold_decides_what_is_the_same_status_here_in_the_loan_rules_and_in_the_update():
    """The decision: expressions compare with ``sesame.sync.normalize.fold``, punctuation dropped.

    So "Élève-interne", "Élève interne" and "ELEVE INTERNE" are one status for ``Statut=…``, as they
    are for the loan rules and for the update's matching, which use that fold too.
    """
    assert fold is normalize.fold
    base = {"hyphen": {"status": "Élève-interne"}, "space": {"status": "Élève interne"},
            "capitals": {"status": "ELEVE INTERNE"}, "apostrophe": {"status": "Élève d’internat"},
            "other": {"status": "Élève"}}

    def chosen(text: str) -> set[str]:
        expression = parse_expression(text)
        return {key for key, values in base.items() if expression.matches(values)}

    for text in ("Statut=Élève-interne", "Statut=Élève interne", "statut=eleve   INTERNE",
                 "Statut=Élève_interne"):
        assert chosen(text) == {"hyphen", "space", "capitals"}, text
    assert {fold(values["status"]) for values in base.values()} == {
        "eleve interne", "eleve d internat", "eleve"}
    # A wildcard keeps a word boundary typed at its side: "Élève-*" wants another word after "élève".
    assert chosen("Statut=Élève-*") == {"hyphen", "space", "capitals", "apostrophe"}
    assert chosen("Statut=Élève*") == set(base)


# --- Wildcards ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Classe=3*", {"pupil", "left"}),
    ("Classe=*A", {"pupil_6"}),
    ("Classe=*", set(BASE)),
    ("Emprunteur=*MARTIN*", {"teacher"}),
    ("Emprunteur=*martin", {"teacher"}),
    ("Emprunteur=MARTIN*", set()),
    ("Emprunteur=*e*e*", {"pupil", "left"}),
    ("Emprunteur=LEF*VRE Chlo*", {"pupil"}),
    ("Date de naissance=*2013", {"pupil_6"}),
    ("Date de naissance=*/11/*", {"left"}),
    ("Mel=*@example.fr", {"pupil"}),
    ("N° emprunteur=1*", {"pupil", "pupil_6"}),
    ("N° emprunteur=3", {"teacher"}),
    ("Identité ENT=ENT*", {"pupil", "teacher"}),
    ("Identité ENT=", {"pupil_6", "left", "no_status", "company"}),
])
def test_wildcards(text, expected):
    assert selected(text) == expected


def test_regex_characters_in_values_are_literal():
    base = {"a": {"name": "A.B (C)+"}, "b": {"name": "AXB (C)+"}}
    expression = parse_expression('Emprunteur="A.B (C)+"')
    assert {key for key, values in base.items() if expression.matches(values)} == {"a"}
    expression = parse_expression("Emprunteur=A.*")
    assert {key for key, values in base.items() if expression.matches(values)} == {"a"}


# --- Combinations, parentheses and precedence ---------------------------------------------------


def test_et_ou_sauf():
    assert selected("Statut=Elève ET Classe=3*") == {"pupil", "left"}
    assert selected("Statut=Elève OU Statut=Enseignant") == {"pupil", "pupil_6", "left", "teacher"}
    assert selected("Statut=Elève SAUF Type=Usager temporaire") == {"pupil", "pupil_6"}
    assert selected("statut=elève et classe=3* sauf type=usager temporaire") == {"pupil"}


def test_et_and_sauf_bind_tighter_than_ou():
    text = "Statut=Enseignant OU Statut=Elève ET Classe=6*"
    assert parse_expression(text).root == Op(
        "OU", T("status", "Enseignant"), Op("ET", T("status", "Elève"), T("school_class", "6*"))
    )
    assert selected(text) == {"teacher", "pupil_6"}
    assert selected("Statut=Elève SAUF Classe=3* OU Statut=Enseignant") == {"pupil_6", "teacher"}


def test_parentheses_change_the_grouping():
    text = "(Statut=Enseignant OU Statut=Elève) ET Classe=6*"
    assert parse_expression(text).root == Op(
        "ET", Op("OU", T("status", "Enseignant"), T("status", "Elève")), T("school_class", "6*")
    )
    assert selected(text) == {"pupil_6"}
    assert selected("Statut=Elève SAUF (Classe=3* OU Classe=6*)") == set()
    assert selected("((Statut=Elève))") == {"pupil", "pupil_6", "left"}
    assert selected("(Statut=Elève)ET(Classe=6eA)") == {"pupil_6"}


def test_left_to_right():
    # (A SAUF B) ET C, not A SAUF (B ET C).
    text = "Statut=Elève SAUF Classe=3* ET Emprunteur=*DIAYE*"
    assert parse_expression(text).root == Op(
        "ET", Op("SAUF", T("status", "Elève"), T("school_class", "3*")), T("name", "*DIAYE*")
    )
    assert selected(text) == {"pupil_6"}
    assert selected("Statut=Elève SAUF (Classe=3* ET Emprunteur=*DIAYE*)") == {"pupil", "pupil_6", "left"}


def test_normalised_text():
    assert str(parse_expression("statut=eleve  et (classe=3* ou nom=*martin*)")) == (
        "Statut=eleve ET (Classe=3* OU Emprunteur=*martin*)"
    )
    assert str(parse_expression("(Statut=A ET Classe=B) OU Nom=C")) == "Statut=A ET Classe=B OU Emprunteur=C"
    assert str(parse_expression("Statut=A SAUF (Classe=B SAUF Nom=C)")) == (
        "Statut=A SAUF (Classe=B SAUF Emprunteur=C)"
    )
    assert str(parse_expression("Statut=A OU (Classe=B OU Nom=C)")) == (
        "Statut=A OU (Classe=B OU Emprunteur=C)"
    )
    assert str(parse_expression('Nom="O""BRIEN (Kévin)"')) == 'Emprunteur="O""BRIEN (Kévin)"'
    assert str(parse_expression("Nom=O'BRIEN Kévin")) == "Emprunteur=O'BRIEN Kévin"


def test_values_with_keywords_inside_words_need_no_quotes():
    assert parse_expression("Emprunteur=BETOU SAUFRAY").root == T("name", "BETOU SAUFRAY")
    assert parse_expression("Classe=ET").root == T("school_class", "ET")
    assert parse_expression("Mel=a=b@example.fr").root == T("email", "a=b@example.fr")


def test_quoted_values():
    assert parse_expression('Emprunteur="DUPONT ET FILS"').root == T("name", "DUPONT ET FILS")
    assert selected('Emprunteur="DUPONT ET FILS"') == {"company"}
    assert selected('Emprunteur = "dupont et fils" OU Statut=Enseignant') == {"company", "teacher"}
    assert selected('(Emprunteur="DUPONT ET*")') == {"company"}
    assert parse_expression('Emprunteur="say ""hi"""').root == T("name", 'say "hi"')
    assert parse_expression('Emprunteur=O"BRIEN').root == T("name", 'O"BRIEN')
    # Unquoted, the keyword ends the value.
    assert parse_expression("Emprunteur=DUPONT ET Nom=FILS").root == Op(
        "ET", T("name", "DUPONT"), T("name", "FILS")
    )


def test_missing_values_are_empty():
    assert parse_expression("Statut=").matches({})
    assert parse_expression("Classe=3*").matches({"school_class": None}) is False


def test_expressions_compare_by_meaning_of_their_tree():
    assert parse_expression("statut=Elève") == parse_expression("Statut = Elève")
    assert parse_expression("Statut=Elève") != parse_expression("Statut=Eleve")
    assert hash(parse_expression("Nom=x")) == hash(parse_expression("Emprunteur=x"))
    assert isinstance(parse_expression("Nom=x"), Expression)


# --- Malformed expressions ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message", "position"), [
    ("", "L'équation est vide.", 0),
    ("   \t ", "L'équation est vide.", 0),
    ("Statut=Elève)",
     "Équation incorrecte, caractère 13 : parenthèse fermante sans parenthèse ouvrante.", 12),
    ("(Statut=Elève) ET Classe=3)",
     "Équation incorrecte, caractère 27 : parenthèse fermante sans parenthèse ouvrante.", 26),
    (")Statut=Elève", "Équation incorrecte, caractère 1 : parenthèse fermante sans parenthèse ouvrante.", 0),
    ("(Statut=Elève", "Équation incorrecte, caractère 1 : parenthèse ouvrante sans parenthèse fermante.", 0),
    ("Statut=Elève ET ((Classe=3*)",
     "Équation incorrecte, caractère 17 : parenthèse ouvrante sans parenthèse fermante.", 16),
    ("Statut=Elève ET (", "Équation incorrecte, caractère 17 : parenthèse ouvrante sans parenthèse fermante.",
     16),
    ("()", "Équation incorrecte, caractère 1 : parenthèses vides.", 0),
    ("Statut=Elève OU ( )", "Équation incorrecte, caractère 17 : parenthèses vides.", 16),
    ("Statut Elève",
     "Équation incorrecte, caractère 1 : signe « = » manquant dans « Statut Elève » (attendu Champ=Valeur, "
     "par exemple Statut=Elève).", 0),
    ("Statut=Elève ET Classe",
     "Équation incorrecte, caractère 17 : signe « = » manquant dans « Classe » (attendu Champ=Valeur, par "
     "exemple Statut=Elève).", 16),
    ("Classe 3 ET Statut=Elève",
     "Équation incorrecte, caractère 1 : signe « = » manquant dans « Classe 3 » (attendu Champ=Valeur, par "
     "exemple Statut=Elève).", 0),
    ("(Statut)=Elève",
     "Équation incorrecte, caractère 2 : signe « = » manquant dans « Statut » (attendu Champ=Valeur, par "
     "exemple Statut=Elève).", 1),
    ("=Elève", "Équation incorrecte, caractère 1 : nom de champ manquant avant « = » (par exemple "
               "Statut=Elève).",
     0),
    ("Statu=Elève", "Champ inconnu « Statu » (caractère 1). Champs possibles : Statut, Classe, Emprunteur, "
                    "Type d'emprunteur, N° emprunteur, Identité ENT, Mel, Date de naissance.", 0),
    ("Statut=Elève OU  Prénom=Léa", "Champ inconnu « Prénom » (caractère 18). Champs possibles : Statut, "
                                    "Classe, Emprunteur, Type d'emprunteur, N° emprunteur, Identité ENT, "
                                    "Mel, Date de naissance.", 17),
    ("Statut=Elève ET",
     "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme (Champ=Valeur) ou d'une "
     "parenthèse.",
     13),
    ("Statut=Elève sauf ",
     "Équation incorrecte, caractère 14 : « SAUF » doit être suivi d'un terme (Champ=Valeur) ou d'une "
     "parenthèse.", 13),
    ("(Statut=Elève OU) ET Classe=3*",
     "Équation incorrecte, caractère 15 : « OU » doit être suivi d'un terme (Champ=Valeur) ou d'une "
     "parenthèse.",
     14),
    ("ET Statut=Elève",
     "Équation incorrecte, caractère 1 : opérateur « ET » en début d'équation, sans terme avant lui.", 0),
    ("(OU Statut=Elève)",
     "Équation incorrecte, caractère 2 : opérateur « OU » juste après une parenthèse ouvrante, sans terme "
     "avant lui.", 1),
    ("Statut=Elève ET OU Classe=3*",
     "Équation incorrecte, caractère 17 : opérateur « OU » inattendu juste après « ET ».", 16),
    ("Statut=Elève SAUF SAUF Classe=3*",
     "Équation incorrecte, caractère 19 : opérateur « SAUF » inattendu juste après « SAUF ».", 18),
    ("(Statut=Elève) Classe=3*",
     "Équation incorrecte, caractère 16 : ET, OU ou SAUF attendu avant « Classe=3* ».", 15),
    ("(Statut=Elève) (Classe=3*)",
     "Équation incorrecte, caractère 16 : ET, OU ou SAUF attendu avant « ( ».", 15),
    ('Emprunteur="DUPONT ET FILS',
     "Équation incorrecte, caractère 12 : guillemet ouvrant sans guillemet fermant.", 11),
    ('Emprunteur="DUPONT"FILS',
     "Équation incorrecte, caractère 20 : texte collé au guillemet fermant (un espace ou « ) » est attendu).",
     19),
])
def test_malformed_expressions(text, message, position):
    assert error(text) == (message, position)


def test_a_value_with_a_parenthesis_must_be_quoted():
    # Unquoted, the value stops at the ")", which then closes nothing.
    assert error("Emprunteur=DUPONT (Marie)") == (
        "Équation incorrecte, caractère 25 : parenthèse fermante sans parenthèse ouvrante.", 24
    )
    assert parse_expression('Emprunteur="DUPONT (Marie)"').root == T("name", "DUPONT (Marie)")


def test_limits():
    assert error("(" * 41 + "Statut=Elève" + ")" * 41) == (
        "Équation incorrecte, caractère 41 : plus de 40 parenthèses imbriquées.", 40
    )
    assert parse_expression("(" * 40 + "Statut=Elève" + ")" * 40).root == T("status", "Elève")
    long_text = " OU ".join(["Statut=Elève"] * 70)
    assert error(long_text) == (
        f"L'équation est trop longue ({len(long_text)} caractères, 1000 au plus).", 1000
    )
    many = " OU ".join(["Nom=x"] * 110)
    assert parse_expression(many).matches({"name": "X"})


def test_error_is_a_value_error_with_message_and_position():
    with pytest.raises(ValueError, match="caractère 1 ") as caught:
        parse_expression(")")
    assert caught.value.message == str(caught.value)
    assert caught.value.position == 0


# --- Borrowers as any object --------------------------------------------------------------------


def test_borrower_values_from_any_object():
    borrower = SimpleNamespace(
        number=12, name="LEFÈVRE Chloé", status="Élève", school_class="3 J2", birth_date=date(2011, 5, 14),
        email="", borrower_type="Usager", ent_identity="ENT0001",
    )
    assert borrower_values(borrower) == {
        "status": "Élève", "school_class": "3 J2", "name": "LEFÈVRE Chloé", "borrower_type": "Usager",
        "number": "12", "ent_identity": "ENT0001", "email": "", "birth_date": "14/05/2011",
    }
    assert parse_expression("Date de naissance=*2011 ET N° emprunteur=12").matches(borrower_values(borrower))
    partial = borrower_values(SimpleNamespace(name="X", birth_date=None))
    assert partial == {key: "" for key in FIELD_LABELS} | {"name": "X"}


# --- Properties ---------------------------------------------------------------------------------

FRAGMENTS = [
    "Statut", "Classe", "Nom", "Type d'emprunteur", "N° emprunteur", "Date de naissance", "Statu", "=", "=",
    "(", ")", '"', '""', " ", "  ", " ET ", " OU ", " SAUF ", "ET", "ou", "sauf", "*", "Elève", "3 J2",
    "é", "œ", "\t", "\n", "x", "1", "'", "’",
]
messy_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
)
values = st.text(max_size=15).map(lambda value: " ".join(value.split())) | st.sampled_from(
    ["", "Elève", "DUPONT ET FILS", "a (b)", 'O"BRIEN', "x OU", "ET", "sauf y", "3*", "*"]
)
terms = st.builds(T, st.sampled_from(sorted(FIELD_LABELS)), values)
trees = st.recursive(
    terms,
    lambda children: st.builds(Op, st.sampled_from(["ET", "OU", "SAUF"]), children, children),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(messy_text)
def test_reading_any_text_fails_only_with_an_expression_error(text):
    try:
        expression = parse_expression(text)
    except ExpressionError as exc:
        assert exc.message
        assert 0 <= exc.position <= len(text)
        return
    assert parse_expression(str(expression)) == expression


@settings(max_examples=300, deadline=None)
@given(trees)
def test_normalised_text_reads_back_as_the_same_expression(tree):
    expression = Expression(tree)
    again = parse_expression(str(expression))
    assert again == expression
    assert str(again) == str(expression)


@settings(max_examples=200, deadline=None)
@given(trees, st.fixed_dictionaries({key: values for key in FIELD_LABELS}))
def test_reread_expression_selects_the_same_borrowers(tree, borrower):
    expression = Expression(tree)
    assert parse_expression(str(expression)).matches(borrower) == expression.matches(borrower)
