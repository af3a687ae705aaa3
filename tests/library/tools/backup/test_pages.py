"""The "Sauvegarder / restaurer" page: the download, the confirmed restore, the refusals, the gate."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sesame.library.models import Librarian
from sesame.library.tools.backup import backup_read, library_backup_bytes
from tests.library.factories import library_tables_dump, make_borrower

from .helpers import NOTHING, NOW, UAI, restore_lines, tables_but_restore_lines


def page_url(library, name="tools_backup") -> str:
    return reverse(f"library:{name}", kwargs={"uai": library.uai})


def upload(content: bytes, name: str = "sauvegarde.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_the_tools_menu_leads_to_the_backup_page(signed_in, library, base):
    response = signed_in.get(page_url(library))

    page = response.content.decode()
    assert response.status_code == 200
    assert (f'<a href="/bibliotheque/{UAI}/outils/sauvegarde/" aria-current="page">'
            "Sauvegarder / restaurer</a>" in page)
    assert f'href="/bibliotheque/{UAI}/outils/prets-anonymes/"' in page
    assert f'href="/bibliotheque/{UAI}/outils/statistiques/"' in page
    assert "Contenu actuel : 3 emprunteurs, 3 notices, 4 exemplaires, 4 prêts" in page
    assert '<label for="id_confirm">Je comprends que la base actuelle sera remplacée</label>' in page


def test_the_page_downloads_the_backup(signed_in, library, base):
    response = signed_in.get(page_url(library, "tools_backup_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="sauvegarde-{UAI}-')
    assert backup_read(response.content).counts["borrowers"] == 3


def test_the_page_restores_a_confirmed_backup(signed_in, librarian, library, base):
    content = library_backup_bytes(library=library, now=NOW)
    before = library_tables_dump()
    make_borrower(library, "NOUVEAU Venu")

    response = signed_in.post(page_url(library), {"backup_file": upload(content), "confirm": "on"},
                              follow=True)

    assert response.redirect_chain == [(page_url(library), 302)]
    assert tables_but_restore_lines() == before
    assert [(uai, actor) for uai, actor, _detail in restore_lines()] == [(library.pk, librarian.pk)]
    assert [str(message) for message in response.context["messages"]] == [
        "La sauvegarde du 02/09/2025 10:30 a été restaurée : 3 emprunteurs, 3 notices, 4 exemplaires, "
        "4 prêts, 1 règle de prêt, 2 réservations, 1 avis, 1 ligne du journal."]


@pytest.mark.parametrize(("data", "expected"), [
    ({"confirm": "on"}, "Choisissez le fichier de sauvegarde à restaurer."),
    ({}, "Cochez « Je comprends que la base actuelle sera remplacée » pour restaurer la sauvegarde."),
])
def test_the_page_refuses_without_a_file_or_without_confirmation(signed_in, library, base, data, expected):
    if "confirm" not in data:
        data = {**data, "backup_file": upload(library_backup_bytes(library=library))}
    make_borrower(library, "NOUVEAU Venu")
    before = library_tables_dump()

    response = signed_in.post(page_url(library), data)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f'role="alert" data-testid="tools-error">{expected} {NOTHING}</p>' in page
    assert library_tables_dump() == before


def test_the_page_refuses_another_establishments_backup(client, library, base, other):
    user = get_user_model().objects.create_user("autre", password="x")
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)
    before = library_tables_dump()

    response = client.post(page_url(other), {"backup_file": upload(library_backup_bytes(library=library)),
                                              "confirm": "on"})

    assert response.status_code == 400
    assert (f"Cette sauvegarde est celle de 0750001U, pas de 9990001X. {NOTHING}"
            in html.unescape(response.content.decode()))
    assert library_tables_dump() == before


def test_a_librarian_of_another_school_cannot_reach_the_backup(client, library, base, other):
    user = get_user_model().objects.create_user("autre", password="x")
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)

    for name in ("tools_backup", "tools_backup_download"):
        response = client.get(page_url(library, name))
        assert response.status_code == 403
        assert b"LEF" not in response.content


def test_a_refusal_reads_in_english_when_english_is_chosen(client, library, base, other, english):
    user = get_user_model().objects.create_user("autre", password="x")
    Librarian.objects.create(library=other, user=user)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    before = library_tables_dump()

    response = client.post(page_url(other), {"backup_file": upload(library_backup_bytes(library=library)),
                                              "confirm": "on"})

    assert response.status_code == 400
    assert ('role="alert" data-testid="tools-error">This backup belongs to 0750001U, not to 9990001X. '
            "Nothing was changed.</p>") in html.unescape(response.content.decode())
    assert library_tables_dump() == before
