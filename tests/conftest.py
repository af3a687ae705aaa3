"""Shared fixtures: a small establishment, people of every profile, and a real Chromium."""

import os
import shutil

import pytest

from tests.factories import make_establishment, make_person

CHROMIUM_PATH = os.environ.get("SESAME_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM_PATH) or os.path.exists(CHROMIUM_PATH))


def pytest_report_header(config):
    if _chromium_available():
        return f"navigateur : Chromium {CHROMIUM_PATH}"
    if os.environ.get("CI"):
        return f"navigateur : Chromium INTROUVABLE ({CHROMIUM_PATH}) — les tests navigateur échoueront (CI)"
    return f"navigateur : Chromium introuvable ({CHROMIUM_PATH}) — TESTS NAVIGATEUR IGNORÉS"


class Clock:
    """Sésame's clock (``sesame.core.clock``), moved by hand: ``set``, ``set_today``, ``advance``."""

    def __init__(self, start):
        self.current = start

    def __call__(self):
        return self.current

    def set(self, moment):
        self.current = moment

    def set_today(self, day, hour: int = 10):
        """Ten o'clock that day in the establishment's time zone (a school day's morning)."""
        from datetime import datetime

        from django.utils import timezone

        self.current = timezone.make_aware(datetime(day.year, day.month, day.day, hour))

    def advance(self, delta):
        self.current = self.current + delta


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze Sésame's clock at the real time; tests then move it. Nothing else is patched."""
    from django.utils import timezone

    moved = Clock(timezone.now())
    monkeypatch.setattr("sesame.core.clock._source", moved)
    return moved


@pytest.fixture(autouse=True)
def _french_again():
    """A request in English leaves English active in this thread: each test starts in French."""
    from django.utils import translation

    yield
    translation.activate("fr")


def _uses_database(request) -> bool:
    return bool(request.node.get_closest_marker("django_db")
                or {"db", "transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Login throttling counts failures in the cache: each test starts with none.

    Without Redis the cache is a table of the test database: only a test that uses the database
    can reach it, and a transactional test's flush leaves that table as it is.
    """
    from contextlib import nullcontext

    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    cache = caches["default"]
    access = nullcontext
    if isinstance(cache, BaseDatabaseCache):
        if not _uses_database(request):
            yield
            return
        request.getfixturevalue("django_db_setup")
        access = request.getfixturevalue("django_db_blocker").unblock
    with access():
        cache.clear()
    yield
    with access():
        cache.clear()


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium est requis en CI : {CHROMIUM_PATH} introuvable.")
        pytest.skip(f"Tests navigateur ignorés : Chromium introuvable ({CHROMIUM_PATH}).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(accept_downloads=True, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def establishment(db):
    return make_establishment()


@pytest.fixture
def school(establishment):
    """Two levels, three classes, pupils, teachers, staff of each function and parents."""
    people = {
        "director": make_person(establishment, "PERSONNEL", "SUPPORT", "Michel", function="DIRECTEUR",
                                login="directeur"),
        "admin": make_person(establishment, "PERSONNEL", "ADMINE", "Alice", function="ADMIN", login="admin"),
        "cpe": make_person(establishment, "PERSONNEL", "DURAND", "Claire", function="CPE", login="cpe"),
        "librarian": make_person(establishment, "PERSONNEL", "LIVRE", "Léa", function="CDI",
                                 login="documentaliste"),
        "teacher": make_person(establishment, "ENSEIGNANT", "DE LA FONTAINE", "Jean-Baptiste",
                               login="enseignant"),
        "teacher2": make_person(establishment, "ENSEIGNANT", "O'BRIEN", "Kévin", login="enseignant2"),
        "pupil_6a": make_person(establishment, "ELEVE", "LEFÈVRE", "Chloé", class_name="6eA", login="eleve"),
        "pupil_6a_2": make_person(establishment, "ELEVE", "N'DIAYE", "Moussa", class_name="6eA"),
        "pupil_6b": make_person(establishment, "ELEVE", "MARTIN", "Lucas", class_name="6eB"),
        "pupil_3a": make_person(establishment, "ELEVE", "MÜLLER", "Zoé", class_name="3eA"),
    }
    people["parent"] = make_person(establishment, "PARENT", "LEFÈVRE", "Anne", login="parent")
    people["parent"].children.add(people["pupil_6a"])
    return people
