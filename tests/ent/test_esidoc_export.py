"""The e-sidoc export: exactly the selected people, never parents, valid against the XSD."""

import html

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from sesame.ent.models import EsidocExport, Level, SchoolClass
from sesame.interop.fiches_xml import XSD_PATH, read_fiches
from tests.factories import PASSWORD, make_establishment, make_person


def identities(content: bytes) -> set[str]:
    return {record.ent_identity for record in read_fiches(content).records}


def export_from_page(client, director, data) -> EsidocExport:
    assert client.login(username=director.user.username, password=PASSWORD)
    response = client.post(reverse("ent:esidoc_export"), data)
    assert response.status_code == 302, response.content.decode()
    export = EsidocExport.objects.latest("pk")
    assert response["Location"].endswith(f"?export={export.pk}")
    return export


def assert_valid_against_xsd(content: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    document = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert schema.validate(document), schema.error_log


@pytest.mark.django_db
def test_two_classes_and_teachers_export_exactly_those_people(client, school):
    class_ids = SchoolClass.objects.filter(name__in=["6eA", "3eA"]).values_list("pk", flat=True)

    export = export_from_page(client, school["director"], {"classes": list(class_ids), "teachers": "on"})
    content = bytes(client.get(reverse("ent:esidoc_export_download", args=[export.pk])).content)

    expected = {school[k].ent_identity for k in ["pupil_6a", "pupil_6a_2", "pupil_3a", "teacher", "teacher2"]}
    assert identities(content) == expected
    assert export.person_count == 5
    assert_valid_against_xsd(content)


@pytest.mark.django_db
def test_a_ticked_level_means_all_its_classes(client, school):
    level_6 = SchoolClass.objects.get(name="6eA").level

    export = export_from_page(client, school["director"], {"levels": [level_6.pk]})

    expected = {school[k].ent_identity for k in ["pupil_6a", "pupil_6a_2", "pupil_6b"]}
    assert identities(bytes(export.content)) == expected


PUPILS_OF = {"6eA": ["pupil_6a", "pupil_6a_2"], "6eB": ["pupil_6b"], "3eA": ["pupil_3a"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("levels", "classes", "exported"),
    [
        (["6EME"], [], ["6eA", "6eB"]),                 # a level alone: all its classes
        (["6EME"], ["6eA", "6eB"], ["6eA", "6eB"]),     # what the page's script posts for a whole level
        ([], ["6eB"], ["6eB"]),                         # some classes of a level, without the level
        (["6EME"], ["6eB"], ["6eB"]),                   # a stale level tick: its ticked classes win
        (["6EME"], ["3eA"], ["6eA", "6eB", "3eA"]),     # a class of another level narrows only that one
        (["6EME", "3EME"], ["6eA"], ["6eA", "3eA"]),
    ],
    ids=["level-alone", "level-and-all-its-classes", "classes-alone", "level-and-some-of-its-classes",
         "level-and-a-class-of-another-level", "two-levels-one-narrowed"],
)
def test_without_javascript_ticked_classes_narrow_their_level(client, school, levels, classes, exported):
    """The server's reading of the tree, as posted by a browser without JavaScript."""
    data = {
        "levels": list(Level.objects.filter(code__in=levels).values_list("pk", flat=True)),
        "classes": list(SchoolClass.objects.filter(name__in=classes).values_list("pk", flat=True)),
    }

    export = export_from_page(client, school["director"], data)

    assert export.selection["class_ids"] == sorted(
        SchoolClass.objects.filter(name__in=exported).values_list("pk", flat=True))
    assert identities(bytes(export.content)) == {
        school[key].ent_identity for name in exported for key in PUPILS_OF[name]}


@pytest.mark.django_db
def test_staff_box_exports_every_staff_function_and_never_parents(client, school):
    export = export_from_page(client, school["director"], {"staff": "on"})

    content = bytes(export.content)
    expected = {school[k].ent_identity for k in ["director", "admin", "cpe", "librarian"]}
    assert identities(content) == expected
    assert school["parent"].ent_identity not in content.decode()


@pytest.mark.django_db
def test_everything_ticked_still_leaves_parents_out_and_rereads_to_the_same_people(client, school):
    all_classes = list(SchoolClass.objects.values_list("pk", flat=True))

    export = export_from_page(client, school["director"],
                              {"classes": all_classes, "teachers": "on", "staff": "on"})

    records = {r.ent_identity: r for r in read_fiches(bytes(export.content)).records}
    people = [p for k, p in school.items() if k != "parent"]
    assert set(records) == {p.ent_identity for p in people}
    pupil = records[school["pupil_6a"].ent_identity]
    assert (pupil.name, pupil.status, pupil.school_class, pupil.birth_date) == (
        "LEFÈVRE Chloé", "Élève", "6eA", school["pupil_6a"].birth_date)
    teacher = records[school["teacher"].ent_identity]
    assert (teacher.name, teacher.status, teacher.school_class) == ("DE LA FONTAINE Jean-Baptiste",
                                                                   "Enseignant", "")
    assert records[school["cpe"].ent_identity].status == "Personnel"
    assert all(r.has_account and r.password and r.borrower_type == "Usager" for r in records.values())
    assert_valid_against_xsd(bytes(export.content))


@pytest.mark.django_db
def test_an_empty_selection_is_refused_in_french_and_creates_nothing(client, school):
    assert client.login(username="directeur", password=PASSWORD)

    response = client.post(reverse("ent:esidoc_export"), {})

    assert response.status_code == 200
    assert "Cochez au moins une classe" in response.content.decode()
    assert EsidocExport.objects.count() == 0


@pytest.mark.django_db
def test_classes_of_another_establishment_are_refused(client, school):
    other = make_establishment(uai="0750001U", name="Autre collège")
    foreign = make_person(other, "ELEVE", "AILLEURS", "Paul", class_name="6eA")
    assert client.login(username="directeur", password=PASSWORD)

    response = client.post(reverse("ent:esidoc_export"), {"classes": [foreign.school_class_id]})

    assert response.status_code == 200
    assert "n'existe pas dans votre établissement" in html.unescape(response.content.decode())
    assert EsidocExport.objects.count() == 0


@pytest.mark.django_db
def test_a_director_cannot_download_another_establishments_export(client, school):
    other = make_establishment(uai="0750001U", name="Autre collège")
    other_director = make_person(other, "PERSONNEL", "CHEF", "Paul", function="DIRECTEUR")
    export = export_from_page(client, other_director, {"staff": "on"})
    client.logout()
    assert client.login(username="directeur", password=PASSWORD)

    assert client.get(reverse("ent:esidoc_export_download", args=[export.pk])).status_code == 404


@pytest.mark.django_db
def test_command_exports_named_classes_teachers_and_staff(school, tmp_path):
    output = tmp_path / "export.xml"

    call_command("ent_export_esidoc", "--uai", "9990001x", "--classes", "6eB,3eA", "--teachers",
                 "--staff", "-o", str(output))

    expected = {school[k].ent_identity for k in
                ["pupil_6b", "pupil_3a", "teacher", "teacher2", "director", "admin", "cpe", "librarian"]}
    assert identities(output.read_bytes()) == expected
    assert_valid_against_xsd(output.read_bytes())


@pytest.mark.django_db
def test_command_all_classes_without_adults(school, tmp_path):
    output = tmp_path / "eleves.xml"

    call_command("ent_export_esidoc", "--uai", "9990001X", "--all-classes", "-o", str(output))

    expected = {school[k].ent_identity for k in ["pupil_6a", "pupil_6a_2", "pupil_6b", "pupil_3a"]}
    assert identities(output.read_bytes()) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--uai", "0000000A", "--all-classes"], "Aucun établissement n'a l'UAI « 0000000A »"),
        (["--uai", "9990001X", "--classes", "6eA,5eZ"], "Classe(s) inconnue(s) dans 9990001X : 5eZ"),
        (["--uai", "9990001X"], "Rien à exporter"),
    ],
)
def test_command_refusals_are_french_and_write_nothing(school, tmp_path, arguments, message):
    output = tmp_path / "export.xml"

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("ent_export_esidoc", *arguments, "-o", str(output))

    assert not output.exists()
    assert EsidocExport.objects.count() == 0
