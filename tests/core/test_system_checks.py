"""System checks: each reports its ID on the settings it is about, and only on those.

The demo and the test suite run with ``DEBUG`` off, the development key and plain-HTTP cookies:
``check`` must stay quiet for them, and ``check --deploy`` must say what a deployment must change.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from sesame.config.env import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "checks"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
DATABASE_CACHE = {"BACKEND": "sesame.core.cache.DatabaseCache", "LOCATION": "sesame_cache"}
REAL_KEY = "k" * 60
MAIL = "django.core.mail.backends.smtp.EmailBackend"


def ids(*, deploy: bool = False) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=deploy)}


def own(found: set[str]) -> set[str]:
    """Sésame's IDs only: Django's own deployment checks (security.W0xx) are not under test here."""
    return {i for i in found if i.split(".")[0] in {"sesame", "ent_cas", "library"}}


# --- The settings the demo and the tests run with ---------------------------------------------------


def test_check_finds_nothing_in_the_test_settings():
    call_command("check", fail_level="WARNING")


@override_settings(EMAIL_BACKEND=MAIL)
def test_check_deploy_lists_what_a_deployment_must_change():
    assert own(ids(deploy=True)) == {"sesame.E001", "sesame.W002", "library.W001"}


@pytest.mark.parametrize("command, status", [
    (["check", "--fail-level", "WARNING"], 0),
    (["check", "--deploy"], 1),
])
def test_the_demo_settings_pass_check_and_fail_check_deploy(tmp_path, command, status):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sesame.config.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    for name in ("SESAME_SECRET_KEY", "SESAME_DEBUG", "SESAME_SECURE_COOKIES", "SESAME_DEFAULT_FROM_EMAIL",
                 "REDIS_URL"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)

    assert result.returncode == status, result.stdout + result.stderr
    if status:
        assert "sesame.E001" in result.stderr and "SESAME_SECRET_KEY" in result.stderr


# --- sesame.E001: the development key --------------------------------------------------------------------


@override_settings(SECRET_KEY=DEVELOPMENT_SECRET_KEY, DEBUG=False)
def test_the_development_key_with_debug_off_is_an_error_of_check_deploy():
    with pytest.raises(SystemCheckError, match=r"sesame\.E001"):
        call_command("check", deploy=True)
    assert "sesame.E001" not in ids()


@pytest.mark.parametrize("overrides", [{"SECRET_KEY": REAL_KEY}, {"DEBUG": True}])
def test_a_real_key_or_debug_is_not_reported(overrides):
    with override_settings(SECRET_KEY=DEVELOPMENT_SECRET_KEY, DEBUG=False), override_settings(**overrides):
        assert "sesame.E001" not in ids(deploy=True)


# --- sesame.W001 and W003: caches that processes do not share ------------------------------------------


@override_settings(CACHES={"default": LOCMEM})
def test_an_in_process_cache_is_a_warning_naming_redis():
    messages = [m for m in run_checks() if m.id == "sesame.W001"]

    assert len(messages) == 1
    assert "REDIS_URL" in messages[0].hint
    with pytest.raises(SystemCheckError, match=r"sesame\.W001"):
        call_command("check", fail_level="WARNING")


@override_settings(CACHES={"default": DATABASE_CACHE, "sessions": LOCMEM}, SESSION_CACHE_ALIAS="sessions",
                   SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_an_in_process_cache_for_the_sessions_is_a_warning_too():
    messages = [m for m in run_checks() if m.id == "sesame.W001"]

    assert len(messages) == 1 and "« sessions »" in messages[0].msg


@override_settings(CACHES={"default": DATABASE_CACHE, "sessions": LOCMEM}, SESSION_CACHE_ALIAS="sessions",
                   SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_a_cache_nobody_uses_is_not_reported():
    assert "sesame.W001" not in ids()


@override_settings(CACHES={"default": DUMMY})
def test_a_cache_that_keeps_nothing_is_a_warning():
    assert {"sesame.W003"} <= ids()
    assert "sesame.W001" not in ids()


@pytest.mark.parametrize("cache", [DATABASE_CACHE, {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                    "LOCATION": "redis://127.0.0.1:6379/0"}])
def test_shared_caches_are_not_reported(cache):
    with override_settings(CACHES={"default": cache}):
        assert not {"sesame.W001", "sesame.W003"} & ids()


# --- sesame.W002: cookies over plain HTTP ---------------------------------------------------------------


@pytest.mark.parametrize("secure, debug, reported", [
    ((False, False), False, True),
    ((True, False), False, True),
    ((True, True), False, False),
    ((False, False), True, False),
])
def test_cookies_over_plain_http_with_debug_off_are_a_deploy_warning(secure, debug, reported):
    session, csrf = secure
    with override_settings(SESSION_COOKIE_SECURE=session, CSRF_COOKIE_SECURE=csrf, DEBUG=debug):
        assert ("sesame.W002" in ids(deploy=True)) is reported
        assert "sesame.W002" not in ids()


# --- ent_cas.E001 to E003, W001: the CAS server's lifetimes and cookie path ------------------------


@pytest.mark.parametrize("seconds, reported", [
    (10, False), (300, False), (301, True), (3600, True), (0, True), (-5, True), ("10", True),
])
def test_a_service_ticket_lifetime_beyond_five_minutes_is_an_error(seconds, reported):
    with override_settings(SESAME_CAS_SERVICE_TICKET_SECONDS=seconds):
        assert ("ent_cas.E001" in ids()) is reported


@pytest.mark.parametrize("idle, hard, reported", [
    (7200, 28800, False), (28800, 28800, False), (9 * 3600, 8 * 3600, True), (0, 28800, True),
    (7200, -1, True),
])
def test_a_tgt_idle_lifetime_above_the_hard_one_is_an_error(idle, hard, reported):
    with override_settings(SESAME_CAS_TGT_IDLE_SECONDS=idle, SESAME_CAS_TGT_MAX_SECONDS=hard):
        assert ("ent_cas.E002" in ids()) is reported


@pytest.mark.parametrize("path, expected", [
    ("/ent/cas/", set()),
    ("/ent/cas", set()),
    ("/cas/", {"ent_cas.E003"}),
    ("/ent/cas/login/", {"ent_cas.E003"}),
    ("/ent/ca", {"ent_cas.E003"}),
    ("/ent/", {"ent_cas.W001"}),
    ("/", {"ent_cas.W001"}),
])
def test_the_cookie_path_must_be_where_the_cas_urls_are_mounted(path, expected):
    with override_settings(SESAME_CAS_COOKIE_PATH=path):
        found = ids()

    assert found & {"ent_cas.E003", "ent_cas.W001"} == expected


def test_the_cookie_path_error_names_the_mount_point():
    with override_settings(SESAME_CAS_COOKIE_PATH="/cas/"):
        [message] = [m for m in run_checks() if m.id == "ent_cas.E003"]

    assert "/ent/cas/" in message.hint


@override_settings(SESAME_CAS_COOKIE_PATH="/cas/", ROOT_URLCONF="sesame.library.urls")
def test_a_node_that_does_not_serve_the_cas_server_is_not_checked_for_its_cookie():
    assert "ent_cas.E003" not in ids()


# --- library.W001: the sender of reservation mail ----------------------------------------------------


@pytest.mark.parametrize("overrides, reported", [
    ({"EMAIL_BACKEND": MAIL}, True),
    ({"EMAIL_BACKEND": MAIL, "DEFAULT_FROM_EMAIL": "cdi@college-exemple.fr"}, False),
    ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, False),
])
def test_reservation_mail_from_the_django_placeholder_is_a_deploy_warning(overrides, reported):
    with override_settings(DEFAULT_FROM_EMAIL="webmaster@localhost"), override_settings(**overrides):
        assert ("library.W001" in ids(deploy=True)) is reported
        assert "library.W001" not in ids()
