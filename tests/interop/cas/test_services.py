"""Service URL safety and the anchored matching rule of the registry."""

import subprocess
import sys

import pytest

from sesame.interop.cas import (
    InvalidPatternError,
    ServiceDefinition,
    UnsafeServiceUrlError,
    check_service_url,
    compile_linear,
    compile_pattern,
    find_service,
    matching_services,
)

ESIDOC = ServiceDefinition(key=1, name="E-SIDOC", pattern=compile_linear(r"https://0750001a\.esidoc\.fr/.*"),
                           establishments=frozenset({"0750001A"}))


@pytest.mark.parametrize("url", [
    "https://0750001a.esidoc.fr/home/", "http://127.0.0.1:8000/portail/9990001X/home/?a=b&c=d#x",
    "https://host.example/",
])
def test_plain_urls_pass_unchanged(url):
    assert check_service_url(url) == url


@pytest.mark.parametrize("url, reason", [
    ("", "adresse vide"),
    ("//evil.example/", "l'adresse doit commencer par http:// ou https://"),
    ("/\\evil.example/", "barre oblique inverse"),
    ("https://good.fr@evil.example/", "identifiants dans l'adresse (@)"),
    ("https://good.fr%2F@evil.example/", "identifiants dans l'adresse (@)"),
    ("https://evil.example%2Fgood.fr/", "caractère encodé dans le nom d'hôte"),
    ("https:%2F%2Fevil.example/", "l'adresse doit commencer par http:// ou https://"),
    ("https://good.fr/\r\nX: y", "caractère de contrôle ou espace"),
    ("https://good.fr/ x", "caractère de contrôle ou espace"),
    ("https://good.fr\uff0fevil.example/", "caractères non ASCII"),
    ("javascript:alert(1)", "l'adresse doit commencer par http:// ou https://"),
    ("HTTPS://good.fr/", "l'adresse doit commencer par http:// ou https://"),
    ("http:///evil.example/", "adresse sans nom d'hôte"),
    ("https://good.fr:99999/", "adresse mal formée"),
    ("https://good.fr:0/", "port invalide"),
    ("https://good.fr/" + "a" * 2048, "adresse trop longue"),
])
def test_unsafe_urls_are_refused_before_any_pattern(url, reason):
    with pytest.raises(UnsafeServiceUrlError) as error:
        check_service_url(url)

    assert error.value.reason == reason


@pytest.mark.parametrize("url, found", [
    ("https://0750001a.esidoc.fr/home/", True),
    ("https://0750001a.esidoc.fr/", True),
    ("https://0750001a.esidoc.fr", False),
    ("https://0750001a.esidoc.fr.evil.example/", False),
    ("https://0750001a.esidoc.frevil.example/", False),
    ("https://0750001a.esidoc.fr@evil.example/", False),
    ("https://evil.example/https://0750001a.esidoc.fr/", False),
    ("https://x0750001a.esidoc.fr/", False),
    ("http://0750001a.esidoc.fr/home/", False),
])
def test_the_pattern_must_match_the_whole_url(url, found):
    assert (find_service([ESIDOC], url) is ESIDOC) is found


def test_a_definition_restricted_to_another_establishment_is_skipped():
    shared = ServiceDefinition(key=2, name="Tous", pattern=compile_linear(r"https://[0-9a-z]{8}\.esidoc\.fr/.*"))

    assert find_service([ESIDOC, shared], "https://0750001a.esidoc.fr/", establishment="0750001A") is ESIDOC
    assert find_service([ESIDOC, shared], "https://0750001a.esidoc.fr/", establishment="0690001B") is shared
    assert find_service([ESIDOC], "https://0750001a.esidoc.fr/", establishment="0690001B") is None
    assert matching_services([ESIDOC, shared], "https://0750001a.esidoc.fr/") == [ESIDOC, shared]


@pytest.mark.parametrize("pattern", ["https://.*", "https?://.*", ".*", r"https://[^/]+/.*", "http.*"])
def test_a_pattern_that_accepts_any_site_is_refused(pattern):
    with pytest.raises(InvalidPatternError, match="n'importe quel site"):
        compile_pattern(pattern)


def test_a_pattern_that_does_not_compile_is_refused():
    with pytest.raises(InvalidPatternError, match="Motif invalide"):
        compile_pattern("https://(a")


@pytest.mark.parametrize("pattern", [r"https://(a)\1\.fr/.*", r"https://(?=a)a\.fr/.*", "x" * 501])
def test_a_pattern_the_linear_engine_cannot_run_is_refused_in_french(pattern):
    with pytest.raises(InvalidPatternError, match="Motif invalide"):
        compile_pattern(pattern)


def test_a_nested_quantifier_cannot_freeze_the_matching():
    """``(a+)+$`` backtracks exponentially in Python's ``re`` on "aaa…!"; RE2 answers at once.

    Run in a child process with a deadline, so that a regression fails the test instead of
    hanging the suite (``re`` would take longer than the age of the universe on this URL).
    """
    code = ("from sesame.interop.cas import ServiceDefinition, compile_pattern, find_service\n"
            "evil = ServiceDefinition(key=1, name='x', pattern=compile_pattern(r'https://(a+)+\\.fr/'))\n"
            "print(find_service([evil], 'https://' + 'a' * 5000 + '!.fr/'))")
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20,
                              check=True)

    assert finished.stdout.strip() == "None"


def test_a_lookup_for_one_school_runs_only_the_patterns_it_may_use():
    class Counting:
        runs = 0

        def fullmatch(self, text):
            Counting.runs += 1
            return None

    other_school = ServiceDefinition(key=3, name="Autre", pattern=Counting(),
                                     establishments=frozenset({"0690001B"}))

    found = find_service([other_school, ESIDOC], "https://0750001a.esidoc.fr/", establishment="0750001A")

    assert found is ESIDOC
    assert Counting.runs == 0
