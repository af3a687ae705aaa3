"""Bad inputs to the update: a clear French message, nothing written, no run recorded (seed C).

Files that are not a users file (another format, hostile XML, nobody to compare), identities that
cannot tell people apart, malformed lot expressions: each is refused before anything is written.
"""

import dataclasses
from pathlib import Path

import pytest

from sesame.interop.fiches_xml import FichesXmlError, read_fiches
from sesame.library.models import UpdateRun
from sesame.library.update.selectors import plan_for
from sesame.sync import UpdateOptions
from tests.library.factories import base_dump, make_borrower, person, users_file
from tests.library.update.support import (
    PUPILS,
    analyse,
    refused,
)

pytestmark = pytest.mark.django_db


# --- Bad inputs: a clear French message, nothing written, no run recorded ----------------------------

SIECLE = Path(__file__).parents[2] / "data" / "siecle" / "ElevesSansAdresses.xml"
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&lol3;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&xxe;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>")
BAD_FILES = {
    "malformed": (b'<?xml version="1.0"?><FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>DUPONT Marie</EMPRUNTEUR_M>',
                  "Le fichier est incomplet"),
    "siecle": (SIECLE.read_bytes(), "l'élément racine est « BEE_ELEVES »"),
    "csv": (b"NOM;PRENOM;CLASSE\nDUPONT;Marie;5eA\n", "il ressemble à un tableau CSV"),
    "empty": (b"", "Le fichier est vide."),
    "nobody": (b'<?xml version="1.0"?><FICHES_XML></FICHES_XML>', "Le fichier ne contient aucune personne."),
    "billion_laughs": (BILLION_LAUGHS, "refusées par sécurité"),
    "external_entity": (EXTERNAL_ENTITY, "refusées par sécurité"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_an_unusable_file_is_refused_with_the_readers_message(rentree, kind):
    """Given a file that is not a users file, when analysed, then refused as the reader says; no run."""
    content, phrase = BAD_FILES[kind]
    with pytest.raises(FichesXmlError) as reader:
        read_fiches(content)
    before = base_dump()

    refusal = refused(analyse, rentree["library"], content=content, lot=PUPILS)

    assert refusal.message == reader.value.message
    assert phrase in refusal.message
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_a_file_with_only_parents_is_refused(rentree):
    parents = [person("LEFÈVRE Anne", status="Parent")]
    before = base_dump()

    refusal = refused(analyse, rentree["library"], parents, PUPILS)

    assert refusal.message == ("Le fichier ne contient aucun élève ni aucun personnel à comparer avec les "
                               "emprunteurs.")
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_a_second_person_with_the_same_identity_is_reported_not_imported(library):
    """The reader keeps the first of two people sharing an ENT identity and reports the second."""
    twins = [person("MARTIN Léa", ent_identity="ENT-X"), person("MARTIN Lou", ent_identity="ENT-X")]

    analysis = analyse(library, twins)

    assert [entry.person.name for entry in analysis.plan.new] == ["MARTIN Léa"]
    assert [problem.code for problem in analysis.users_file.problems] == ["duplicate_identity"]


def test_a_base_giving_one_identity_to_two_borrowers_is_refused(library, monkeypatch):
    """The database forbids it; were a snapshot to show it anyway, the core's refusal is passed on."""
    from sesame.library.update import selectors
    real_state = selectors.base_state

    def doubled(**kwargs):
        rows, fingerprint = real_state(**kwargs)
        return [*rows, dataclasses.replace(rows[0], borrower_id=999, number=999)], fingerprint

    make_borrower(library, "MARTIN Léa", ent_identity="ENT-X")
    monkeypatch.setattr(selectors, "base_state", doubled)

    refusal = refused(analyse, library, [person("MARTIN Léa", ent_identity="ENT-X")])

    assert refusal.code == "ambiguous_identities"
    assert refusal.message == ("Plusieurs emprunteurs de la base ont la même identité ENT (ENT-X) : la mise "
                               "à jour ne peut pas savoir qui est qui.")
    assert not UpdateRun.objects.exists()


@pytest.mark.parametrize("expression, message", [
    ("Statut=Elève ET", "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme "
                        "(Champ=Valeur) ou d'une parenthèse."),
    ("(Statut=Elève", "Équation incorrecte, caractère 1 : parenthèse ouvrante sans parenthèse fermante."),
    ("Statut Elève", "Équation incorrecte, caractère 1 : signe « = » manquant dans « Statut Elève » (attendu "
                     "Champ=Valeur, par exemple Statut=Elève)."),
])
def test_a_malformed_lot_expression_is_refused_with_its_position(rentree, expression, message):
    before = base_dump()

    refusal = refused(analyse, rentree["library"], rentree["people"], expression)

    assert (refusal.code, refusal.message) == ("bad_expression", message)
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_plan_for_writes_nothing(rentree):
    """The command's preview: read, select, plan, and not one row written."""
    before = base_dump()

    analysis = plan_for(library=rentree["library"], content=users_file(rentree["people"]),
                        lot_expression=PUPILS, options=UpdateOptions(final=True))

    assert (analysis.run, analysis.lot_size, analysis.plan.counts["new"]) == (None, 5, 2)
    assert base_dump() == before
    assert not UpdateRun.objects.exists()
