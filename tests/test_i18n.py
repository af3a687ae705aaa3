"""Interface languages: French by default, English on request, and complete catalogues.

The source strings (msgids) are French. ``locale/fr`` only carries the header and the plural
entries, so that French counts follow French rules (0 and 1 are singular); ``locale/en`` must
translate every entry.
"""

import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd%]|</?[a-z]+[^>]*>")

# A plural msgid of the catalogue (library/borrowers/detail.html, update/run.html).
LOANS_SINGULAR = "%(counter)s prêt en cours"
LOANS_PLURAL = "%(counter)s prêts en cours"


def _unquote(text):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def read_po(path):
    """Entries of a .po file as dicts (msgid, msgid_plural, msgstr, msgstr[0]…, flags)."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, key, flags = {}, None, set()
        for line in block.splitlines():
            if line.startswith("#~"):
                entry, key = {}, None  # obsolete entry: not compiled
                break
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
                continue
            if line.startswith("#") or not line.strip():
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if match:
                key = match.group(1)
                entry[key] = _unquote(match.group(2))
            else:
                entry[key] += _unquote(re.match(r'^"(.*)"$', line.strip()).group(1))
        if "msgid" in entry:
            entry["flags"] = flags
            entries.append(entry)
    return entries


def catalogue(language):
    entries = read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    header = next(e for e in entries if e["msgid"] == "")
    return header, [e for e in entries if e["msgid"] != ""]


class _Missing(gettext.NullTranslations):
    """Fallback reached only when the compiled catalogue lacks a message."""

    def gettext(self, message):
        raise LookupError(message)

    def ngettext(self, msgid1, msgid2, n):
        raise LookupError(msgid1)


def compiled(language):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        translations = gettext.GNUTranslations(mo)
    translations.add_fallback(_Missing())
    return translations


def page_text(response):
    return html.unescape(response.content.decode())


# --- The interface, through the language selector --------------------------------------------


@pytest.mark.django_db
def test_ent_login_page_is_french_by_default(client):
    response = client.get(reverse("ent:login"))

    assert response.status_code == 200
    text = page_text(response)
    assert '<html lang="fr">' in text
    assert "Connexion à l'ENT" in text
    assert "Sign in to the ENT" not in text


@pytest.mark.django_db
def test_language_selector_switches_the_ent_login_page_to_english_and_back(client):
    login_url = reverse("ent:login")
    assert login_url == "/ent/connexion/"

    response = client.post(reverse("set_language"), {"language": "en", "next": login_url}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == login_url
    text = page_text(response)
    assert '<html lang="en">' in text
    assert "Sign in to the ENT" in text
    assert "Password" in text
    assert "Connexion à l'ENT" not in text

    # The choice sticks for the next pages of the visit…
    assert "Sign in to the ENT" in page_text(client.get(login_url))

    # …until French is chosen again.
    response = client.post(reverse("set_language"), {"language": "fr", "next": login_url}, follow=True)
    assert "Connexion à l'ENT" in page_text(response)


# --- Plurals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 prêt en cours"),
    (1, "1 prêt en cours"),
    (2, "2 prêts en cours"),
    (15, "15 prêts en cours"),
])
def test_french_counts_use_french_plural_rules(count, expected):
    with translation.override("fr"):
        message = translation.ngettext(LOANS_SINGULAR, LOANS_PLURAL, count)

    assert message % {"counter": count} == expected


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 current loans"),
    (1, "1 current loan"),
    (2, "2 current loans"),
])
def test_english_counts_use_english_plural_rules(count, expected):
    with translation.override("en"):
        message = translation.ngettext(LOANS_SINGULAR, LOANS_PLURAL, count)

    assert message % {"counter": count} == expected


# --- The catalogues themselves ----------------------------------------------------------------


def test_catalogue_headers_declare_language_and_plural_forms():
    for language, plural_forms in [
        ("en", "nplurals=2; plural=(n != 1);"),
        ("fr", "nplurals=2; plural=(n > 1);"),
    ]:
        header, _ = catalogue(language)
        assert "fuzzy" not in header["flags"], language  # a fuzzy header is left out of the .mo
        assert f"Language: {language}\n" in header["msgstr"]
        assert f"Plural-Forms: {plural_forms}\n" in header["msgstr"]
        info = compiled(language).info()
        assert info["language"] == language
        assert info["plural-forms"] == plural_forms


def test_every_english_entry_is_translated_and_compiled():
    _, entries = catalogue("en")
    english = compiled("en")
    assert len(entries) > 400

    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        if "msgid_plural" in entry:
            pairs = [(msgid, entry["msgstr[0]"]), (entry["msgid_plural"], entry["msgstr[1]"])]
            try:
                compiled_forms = [english.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 2)]
            except LookupError:
                compiled_forms = None
            expected_forms = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            pairs = [(msgid, entry["msgstr"])]
            try:
                if "msgctxt" in entry:
                    compiled_forms = [english.pgettext(entry["msgctxt"], msgid)]
                else:
                    compiled_forms = [english.gettext(msgid)]
            except LookupError:
                compiled_forms = None
            expected_forms = [entry["msgstr"]]
        for source, target in pairs:
            if not target:
                problems.append(f"untranslated: {source!r}")
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                problems.append(f"placeholders or tags differ: {source!r} -> {target!r}")
        if compiled_forms is None:
            problems.append(f"missing from django.mo (run compilemessages): {msgid!r}")
        elif compiled_forms != expected_forms:
            problems.append(f"django.mo out of date (run compilemessages): {msgid!r}")

    assert not problems, "\n".join(problems)


def test_french_catalogue_only_fills_plural_entries():
    _, entries = catalogue("fr")
    french = compiled("fr")
    plurals = [e for e in entries if "msgid_plural" in e]
    assert any(e["msgid"] == LOANS_SINGULAR for e in plurals)

    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            assert entry["msgstr[0]"] == entry["msgid"]
            assert entry["msgstr[1]"] == entry["msgid_plural"]
            assert french.ngettext(entry["msgid"], entry["msgid_plural"], 0) == entry["msgid"]
            assert french.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgid_plural"]
        else:
            # The msgid is already French: Django falls back to it.
            assert entry["msgstr"] == "", entry["msgid"]


@pytest.mark.django_db
def test_an_english_browser_still_gets_french_until_english_is_chosen(client):
    page = client.get("/ent/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "Connexion à l'ENT" in page
