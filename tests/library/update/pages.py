"""What the update pages' tests share: the steps as a librarian takes them, and the page as read.

The fixtures (a signed-in librarian's client, last year's pupils) are in ``conftest.py``.
"""

import html
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sesame.library.models import UpdateRun
from tests.library.factories import person, users_file

PASSWORD = "motdepasse-test"
HELP_URL = "/bibliotheque/aide/{}/"


def ent_file() -> bytes:
    """This year's ENT export: one MARTIN Lucas, DUPONT with a T, a new pupil; PETIT and ROUX left."""
    return users_file([
        person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 10), ent_identity="ENT-MARTIN"),
        person("DUPONT Marie", school_class="3eB", birth_date=date(2011, 3, 14), ent_identity="ENT-DUPONT"),
        person("BERNARD Emma", school_class="5eA", birth_date=date(2013, 6, 1), ent_identity="ENT-BERNARD"),
        person("DURAND Claire", status="Enseignant", ent_identity="ENT-DURAND"),
        person("NGUYEN Léa", school_class="6eA", birth_date=date(2014, 2, 2), ent_identity="ENT-NGUYEN"),
    ])


def url(name: str, library, **kwargs) -> str:
    return reverse(f"library:{name}", kwargs={"uai": library.uai, **kwargs})


def start(client, library, *, backup: bool = True, anonymize: bool = True):
    data = {key: "on" for key, ticked in (("backup", backup), ("anonymize", anonymize)) if ticked}
    return client.post(url("update_start", library), data)


def upload(client, library, content: bytes, *, expression: str = "Statut=Elève", name: str = "export.xml"):
    return client.post(url("update_file", library), {
        "users_file": SimpleUploadedFile(name, content, content_type="text/xml"),
        "lot_expression": expression, "action": "analyse",
    })


def analysed_run(client, library) -> UpdateRun:
    start(client, library)
    response = upload(client, library, ent_file())
    run = UpdateRun.objects.get(library=library)
    assert response.status_code == 302
    assert response.url == url("update_run", library, run_id=run.pk)
    return run


def text(response) -> str:
    """The page as a reader sees its text (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())
