""""Vérifier avant la première mise à jour": seed C's advice as a page (SPEC §2).

A base as years of typing left it: four spellings of *Élève*, a "Prof", empty statuses, names
typed "NOM, Prénom", and probable duplicates next to homonyms that are not. Each fix is one
transaction with a message; every refusal shows its French reason and leaves every row as it was.
"""

import html
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sesame.library.borrowers.check.selectors import status_groups
from sesame.library.borrowers.expressions import parse_expression
from sesame.library.borrowers.selectors import borrowers_selected
from sesame.library.circulation.rules import EffectiveRule, loan_rule_for
from sesame.library.models import Borrower, EventAction, Librarian, LibraryEvent, LoanRule
from tests.library.factories import OTHER_UAI, UAI, borrower_rows, make_borrower, make_library

PASSWORD = "motdepasse-test"
URL = reverse("library:borrower_check", args=[UAI])


@pytest.fixture
def base(library):
    def add(name, status="Elève", **fields):
        return make_borrower(library, name, status=status, **fields)

    return {
        "a": add("ARNAUD Léa", school_class="5eA"),
        "b": add("BLANC Hugo", school_class="5eB"),
        "c": add("CARON Inès", school_class="4eA"),
        "d": add("DAVID Noé", "Eleve", school_class="4eB"),
        "e": add("ÉTIENNE Zoé", "Eleve", school_class="3eA"),
        "f": add("FABRE Tom", "élève", school_class="3eB"),
        "g": add("GARNIER Lou", "Élève", school_class="6eA"),
        "teacher": add("DURAND, Claire", "Enseignant"),
        "prof": add("LEFEVRE, Paul", "Prof"),
        "empty_pupil": add("HAMON Jade", "", school_class="5eC"),
        "empty_adult": add("MOREL Anne", "  "),
        "dup1": add("LEFÈVRE Chloé", school_class="4eC"),
        "dup2": add("LEFEVRE Chloe", "Eleve"),
        "swap1": add("SIMON Olivier", "Enseignant"),
        "swap2": add("Olivier SIMON", "Enseignant"),
        "slip1": add("LEFEBVRE Anne", "Enseignant"),
        "slip2": add("LEFEBRE Anne", "Enseignant"),
        "sibling1": add("MARTIN Lucas", school_class="5eA"),
        "sibling2": add("MARTIN Lucie", school_class="5eA"),
        "homonym1": add("NGUYEN Thomas", school_class="5eB", birth_date=date(2014, 2, 1)),
        "homonym2": add("NGUYEN Thomas", school_class="3eA", birth_date=date(2012, 9, 30)),
    }


def text(response) -> str:
    return html.unescape(response.content.decode())


def section(response, anchor: str) -> str:
    page = text(response)
    return page.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]


def post(client, **data):
    return client.post(URL, data)


def assert_refused(response, message: str, before) -> None:
    assert response.status_code == 400
    alert = re.search(r'<p class="error" role="alert" data-testid="check-error">(.*?)</p>', text(response),
                      re.S)
    assert alert is not None and alert.group(1) == message
    assert borrower_rows() == before


# --- Access -------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_and_cannot_post(client, base):
    before = borrower_rows()

    responses = [client.get(URL), post(client, action="fix_comma", numbers=str(base["teacher"].number))]

    assert [r.status_code for r in responses] == [302, 302]
    assert all(r["Location"].startswith(reverse("library:login")) for r in responses)
    assert borrower_rows() == before


def test_the_librarian_of_another_library_can_neither_see_nor_fix(client, base):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)
    before = borrower_rows()

    responses = [client.get(URL), post(client, action="rename", old="Eleve", new="Élève")]

    assert [r.status_code for r in responses] == [403, 403]
    assert "LEFÈVRE" not in text(responses[0])
    assert borrower_rows() == before


# --- (a) Homogeneous statuses -------------------------------------------------------------------


def test_the_spellings_of_one_status_stand_together_with_their_counts(signed_in, base):
    response = signed_in.get(URL)

    statuses = section(response, "statuts")
    groups = re.findall(r'<tr data-testid="status-group">(.*?)</tr>', statuses, re.S)
    listed = [re.findall(r"<li>« (.*?) » : (\d+)</li>", group) for group in groups]
    assert listed == [
        [("Elève", "8"), ("Eleve", "3"), ("Élève", "1"), ("élève", "1")],
        [("Enseignant", "5")],
        [("Prof", "1")],
    ]
    assert "Remplacer « Eleve » par « Elève » (3 emprunteurs)" in statuses
    assert "Remplacer « élève » par « Elève » (1 emprunteur)" in statuses
    assert "Remplacer « Élève » par « Elève » (1 emprunteur)" in statuses
    assert "1 statut écrit de plusieurs façons" in section_overview(response)


def section_overview(response) -> str:
    return text(response).split('data-testid="check-overview">', 1)[1].split("</nav>", 1)[0]


def test_one_click_renames_a_spelling_for_all_its_borrowers(signed_in, base):
    response = signed_in.post(URL, {"action": "rename", "old": "Eleve", "new": "Elève"}, follow=True)

    assert response.redirect_chain == [(URL + "#statuts", 302)]
    assert "« Eleve » remplacé par « Elève » pour 3 emprunteurs." in text(response)
    statuses = {row[0]: row[1] for row in base_statuses()}
    assert statuses == {
        "ARNAUD Léa": "Elève", "BLANC Hugo": "Elève", "CARON Inès": "Elève", "DAVID Noé": "Elève",
        "ÉTIENNE Zoé": "Elève", "FABRE Tom": "élève", "GARNIER Lou": "Élève", "DURAND, Claire": "Enseignant",
        "LEFEVRE, Paul": "Prof", "HAMON Jade": "", "MOREL Anne": "  ", "LEFÈVRE Chloé": "Elève",
        "LEFEVRE Chloe": "Elève", "SIMON Olivier": "Enseignant", "Olivier SIMON": "Enseignant",
        "LEFEBVRE Anne": "Enseignant", "LEFEBRE Anne": "Enseignant", "MARTIN Lucas": "Elève",
        "MARTIN Lucie": "Elève", "NGUYEN Thomas": "Elève",
    }


def base_statuses():
    return list(Borrower.objects.order_by("number").values_list("name", "status"))


def test_any_value_can_be_renamed_to_a_typed_one(signed_in, base):
    response = signed_in.post(URL, {"action": "rename", "old": "Prof", "new": "  Enseignant "}, follow=True)

    assert "« Prof » remplacé par « Enseignant » pour 1 emprunteur." in text(response)
    base["prof"].refresh_from_db()
    assert base["prof"].status == "Enseignant"


@pytest.mark.parametrize(("data", "message"), [
    ({"old": "Eleeve", "new": "Élève"}, "Aucun emprunteur n'a le statut « Eleeve »."),
    ({"old": "Eleve", "new": "   "}, "Indiquez le statut à enregistrer : il ne peut pas être vide."),
    ({"old": "Eleve", "new": ""}, "Indiquez le statut à enregistrer : il ne peut pas être vide."),
    ({"old": "Elève", "new": "Elève"}, "« Elève » est déjà écrit ainsi : rien à remplacer."),
    ({"old": "Eleve", "new": "É" * 61}, "Un statut compte 60 caractères au plus."),
    ({"old": "", "new": "Élève"}, "Choisissez le statut à remplacer."),
    ({"new": "Élève"}, "Choisissez le statut à remplacer."),
])
def test_a_bad_rename_is_refused_and_changes_nothing(signed_in, base, data, message):
    before = borrower_rows()

    response = post(signed_in, action="rename", **data)

    assert_refused(response, message, before)


def test_an_unknown_action_is_refused(signed_in, base):
    before = borrower_rows()

    response = post(signed_in, action="supprimer_tout")

    assert_refused(response, "Action inconnue : rien n'a été modifié.", before)


def test_spellings_apart_by_punctuation_are_one_status_for_the_check_the_lot_and_the_loan_rules(library):
    """One fold (``sesame.sync.normalize.fold``): renaming within a group changes no lot, no rule."""
    hyphen = make_borrower(library, "ARNAUD Léa", status="Élève-interne")
    space = make_borrower(library, "BLANC Hugo", status="Élève interne")
    make_borrower(library, "CARON Inès", status="Élève")
    LoanRule.objects.create(library=library, status="Élève interne", loan_days=28, max_loans=3,
                            renewals_allowed=0)

    groups = {group.key: [spelling.value for spelling in group.spellings]
              for group in status_groups(library=library)}
    lot = borrowers_selected(library=library, expression=parse_expression("Statut=Élève interne"))

    assert groups == {"eleve interne": ["Élève interne", "Élève-interne"], "eleve": ["Élève"]}
    assert {borrower.pk for borrower in lot} == {hyphen.pk, space.pk}
    assert loan_rule_for(library=library, status="Élève-interne") == EffectiveRule(28, 3, 0)


# --- (b) Empty statuses -------------------------------------------------------------------------


def test_borrowers_with_an_empty_status_are_listed_with_a_labelled_field(signed_in, base):
    empty = section(signed_in.get(URL), "statuts-vides")

    assert re.findall(r'<a href="[^"]+">(.*?)</a>', empty) == ["HAMON Jade", "MOREL Anne"]
    pupil, adult = base["empty_pupil"].number, base["empty_adult"].number
    assert f'<label for="statut-{pupil}" class="visually-hidden">Statut de HAMON Jade</label>' in empty
    # A borrower with a class is offered the spelling most pupils have; the others type one.
    field = 'name="status" list="statuts-connus" maxlength="60" required'
    assert f'id="statut-{pupil}" {field} value="Elève">' in empty
    assert f'id="statut-{adult}" {field}>' in empty


def test_setting_an_empty_status(signed_in, base):
    borrower = base["empty_adult"]

    response = signed_in.post(URL, {"action": "set_status", "number": borrower.number, "status": "Personnel"},
                              follow=True)

    assert response.redirect_chain == [(URL + "#statuts-vides", 302)]
    assert f"Statut de MOREL Anne (n° {borrower.number}) : « Personnel »." in text(response)
    borrower.refresh_from_db()
    assert borrower.status == "Personnel"
    assert "MOREL Anne" not in section(response, "statuts-vides")


def test_setting_a_status_refusals(signed_in, base, library):
    other = make_library(uai=OTHER_UAI, name="Collège voisin")
    foreign = make_borrower(other, "SECRET Paul", status="", number=500)
    before = borrower_rows()
    cases = [
        ({"number": 999, "status": "Elève"}, "Aucun emprunteur n'a le numéro 999 dans cette bibliothèque."),
        ({"number": foreign.number, "status": "Elève"},
         "Aucun emprunteur n'a le numéro 500 dans cette bibliothèque."),
        ({"number": base["empty_pupil"].number, "status": "  "},
         "Indiquez le statut à enregistrer : il ne peut pas être vide."),
        ({"number": base["a"].number, "status": "Enseignant"},
         f"Le statut de ARNAUD Léa (n° {base['a'].number}) est déjà « Elève » : rechargez la page."),
        ({"number": "douze", "status": "Elève"}, "Numéro d'emprunteur incorrect."),
        ({"status": "Elève"}, "Emprunteur non indiqué."),
    ]

    for data, message in cases:
        assert_refused(post(signed_in, action="set_status", **data), message, before)


# --- (c) "Nom, Prénom" with a comma -------------------------------------------------------------


def test_names_with_a_comma_are_listed_with_their_correction(signed_in, base):
    commas = section(signed_in.get(URL), "virgules")

    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td><a [^>]+>(.*?)</a></td>\s*<td>(.*?)</td>", commas)
    assert rows == [
        (str(base["teacher"].number), "DURAND, Claire", "DURAND Claire"),
        (str(base["prof"].number), "LEFEVRE, Paul", "LEFEVRE Paul"),
    ]
    assert "Tout corriger (2 noms)" in commas
    assert '<span class="visually-hidden"> le nom « DURAND, Claire »</span>' in commas


def test_one_click_fixes_one_name(signed_in, base):
    teacher = base["teacher"]

    response = signed_in.post(URL, {"action": "fix_comma", "numbers": str(teacher.number)}, follow=True)

    assert response.redirect_chain == [(URL + "#virgules", 302)]
    assert f"Nom corrigé : DURAND Claire (n° {teacher.number})." in text(response)
    teacher.refresh_from_db()
    base["prof"].refresh_from_db()
    assert (teacher.name, base["prof"].name) == ("DURAND Claire", "LEFEVRE, Paul")


def test_fix_everything_fixes_every_listed_name_in_one_go(signed_in, base, library):
    make_borrower(library, "  LE  GALL ,Yann ", status="Enseignant")
    page = signed_in.get(URL)
    all_numbers = r'name="action" value="fix_comma">\s*<input type="hidden" name="numbers" value="([\d ]+)">'
    numbers = re.search(all_numbers, text(page)).group(1)

    response = signed_in.post(URL, {"action": "fix_comma", "numbers": numbers}, follow=True)

    assert "3 noms corrigés." in text(response)
    names = [name for name, _ in base_statuses()]
    assert "DURAND Claire" in names and "LEFEVRE Paul" in names and "LE GALL Yann" in names
    assert not [name for name in names if "," in name]
    assert "Aucun nom ne contient de virgule." in section(response, "virgules")


def test_fixing_commas_is_all_or_nothing(signed_in, base):
    before = borrower_rows()
    teacher, plain = base["teacher"].number, base["a"].number
    cases = [
        (f"{teacher} 999", "Aucun emprunteur n'a le numéro 999 dans cette bibliothèque."),
        (f"{teacher} {plain}",
         f"Ce nom ne contient plus de virgule : ARNAUD Léa (n° {plain}). Rechargez la page."),
        ("DURAND", "Numéro d'emprunteur incorrect."),
        ("", "Emprunteur non indiqué."),
    ]

    for numbers, message in cases:
        assert_refused(post(signed_in, action="fix_comma", numbers=numbers), message, before)


# --- (d) Probable duplicates --------------------------------------------------------------------


def test_probable_duplicates_are_paired_with_links_to_both_records(signed_in, base):
    duplicates = section(signed_in.get(URL), "doublons")

    pairs = [
        (re.findall(r'<a href="/bibliotheque/0693456G/emprunteurs/(\d+)/">(.*?)</a>', row),
         re.findall(r"<td>([^<]*)</td>\s*$", row)[0])
        for row in re.findall(r'<tr data-testid="duplicate-pair">(.*?)</tr>', duplicates, re.S)
    ]
    number = {key: str(borrower.number) for key, borrower in base.items()}
    assert pairs == [
        ([(number["slip1"], "LEFEBVRE Anne"), (number["slip2"], "LEFEBRE Anne")],
         "Noms très proches (ressemblance de 98 %) : faute de frappe probable ?"),
        ([(number["dup1"], "LEFÈVRE Chloé"), (number["dup2"], "LEFEVRE Chloe")],
         "Même nom, accents, majuscules et ponctuation mis à part."),
        ([(number["swap1"], "SIMON Olivier"), (number["swap2"], "Olivier SIMON")],
         "Mêmes mots dans un autre ordre : nom et prénom inversés ?"),
    ]


# --- The journal --------------------------------------------------------------------------------


def test_every_fix_is_one_journal_line_with_the_librarian_and_a_refusal_none(signed_in, base, librarian):
    teacher, adult = base["teacher"], base["empty_adult"]

    post(signed_in, action="rename", old="Eleve", new="Elève")
    post(signed_in, action="set_status", number=str(adult.number), status="Personnel")
    post(signed_in, action="fix_comma", numbers=f"{teacher.number} {base['prof'].number}")
    post(signed_in, action="rename", old="Eleve", new="Elève")  # refused: nobody is "Eleve" any more

    lines = LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "borrower_id", "detail")
    assert list(lines) == [
        (EventAction.CHECK_FIX, librarian.pk, None, "statut « Eleve » → « Elève » : 3 fiche(s)"),
        (EventAction.CHECK_FIX, librarian.pk, adult.pk, f"n° {adult.number} : statut « Personnel »"),
        (EventAction.CHECK_FIX, librarian.pk, None,
         f"virgule retirée du nom : n° {teacher.number}, {base['prof'].number}"),
    ]


# --- The whole page -----------------------------------------------------------------------------


def test_a_clean_base_says_there_is_nothing_to_fix(signed_in, library):
    make_borrower(library, "ARNAUD Léa", status="Élève", school_class="5eA")
    make_borrower(library, "DURAND Claire", status="Enseignant")

    response = signed_in.get(URL)

    assert "Rien à corriger : la base est prête pour la première mise à jour." in text(response)
    assert section_overview(response).count("rien à corriger") == 3


def queries_of_the_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_page_reads_the_base_in_a_constant_number_of_queries(signed_in, base, library):
    small = queries_of_the_page(signed_in)
    # Sixty more borrowers, with everything the page lists: spellings, empty statuses, commas, slips.
    for index in range(60):
        make_borrower(library, f"NOM{index:02d}, Prénom", status=("Eleve", "", "Prof", "élève")[index % 4],
                      school_class="4eA")
    assert len(section(signed_in.get(URL), "virgules")) > len(section(signed_in.get(URL), "statuts")) > 0

    large = queries_of_the_page(signed_in)

    assert small == large <= 10


def test_the_help_page_explains_the_checks(signed_in, base):
    response = signed_in.get(reverse("library:help", args=["verifier-les-emprunteurs"]))

    assert response.status_code == 200
    assert "Vérifier les emprunteurs avant la première mise à jour" in text(response)
    assert "Statut=Elève" in text(response)
    assert reverse("library:help", args=["verifier-les-emprunteurs"]) in text(signed_in.get(URL))


# --- In a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_librarian_cleans_the_base_before_the_first_update(live_server, page, librarian, base):
    page.goto(f"{live_server.url}/bibliotheque/connexion/")
    page.get_by_label("Identifiant").fill("documentaliste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Vérifier avant la mise à jour").click()

    page.get_by_role("button", name="Remplacer « Eleve » par « Elève » (3 emprunteurs)").click()
    message = page.get_by_role("status").first
    assert message.inner_text() == "« Eleve » remplacé par « Elève » pour 3 emprunteurs."

    page.get_by_label("Statut de MOREL Anne").fill("Personnel")
    page.get_by_label("Statut de MOREL Anne").press("Enter")
    assert "Statut de MOREL Anne" in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Tout corriger (2 noms)").click()
    assert page.get_by_role("status").first.inner_text() == "2 noms corrigés."
    assert page.get_by_text("Aucun nom ne contient de virgule.").is_visible()

    page.get_by_label("Remplacer le statut").select_option("Prof")
    page.get_by_label("par", exact=True).fill("")
    page.get_by_role("button", name="Remplacer", exact=True).click()  # the browser asks for a value first
    assert page.get_by_test_id("check-error").count() == 0
    page.get_by_label("par", exact=True).fill("Enseignant")
    page.get_by_role("button", name="Remplacer", exact=True).click()
    message = page.get_by_role("status").first
    assert message.inner_text() == "« Prof » remplacé par « Enseignant » pour 1 emprunteur."
