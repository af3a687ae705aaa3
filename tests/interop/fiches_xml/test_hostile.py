"""Hostile and broken files: each is refused as a whole, with the right reason, fast and in bounded memory.

Every case is generated here rather than stored, so that the suite shows what the attack is. The
budget is the one of the reliability requirements: refused within 1 s and 100 MB.
"""

import gc
import io
import random
import re
import socket
import time
import traceback
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from sesame.interop.fiches_xml import (
    EmptyFileError,
    EncodingError,
    FichesXmlError,
    FileTooLargeError,
    Limits,
    NotXmlError,
    TooDeepError,
    UnsafeXmlError,
    WrongFormatError,
    iter_fiches,
    read_fiches,
)
from sesame.interop.fiches_xml import reader as reader_module

SECONDS = 1.0
MEGABYTES = 100
PERSON = (
    "<EMPRUNTEURS><EMPRUNTEUR_M>DUPONT Jean</EMPRUNTEUR_M><STATUT_M_M>Enseignant</STATUT_M_M>"
    "<IDENTITE_ENT_M>ID-1</IDENTITE_ENT_M></EMPRUNTEURS>"
)


def _peak_rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _status_kb(key: str) -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE).group(1))


def refuse(data, expected: type[FichesXmlError], *, limits: Limits | None = None) -> FichesXmlError:
    """Read `data`, expecting `expected`; check time, Python heap and process RSS budgets."""
    kwargs = {"limits": limits} if limits else {}
    source = (lambda: io.BytesIO(data.getvalue())) if isinstance(data, io.BytesIO) else (lambda: data)

    gc.collect()
    rss_measured = _peak_rss_reset()
    rss_before = _status_kb("VmRSS") if rss_measured else 0
    started = time.perf_counter()
    with pytest.raises(expected) as caught:
        read_fiches(source(), **kwargs)
    elapsed = time.perf_counter() - started
    if rss_measured:
        rss_growth_mb = (_status_kb("VmHWM") - rss_before) / 1024
        assert rss_growth_mb < MEGABYTES, f"peak RSS grew by {rss_growth_mb:.0f} MB"
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"

    tracemalloc.start()
    try:
        with pytest.raises(expected):
            read_fiches(source(), **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEGABYTES * 1024 * 1024, f"Python heap peak {peak / 1e6:.0f} MB"

    error = caught.value
    assert type(error) is expected
    assert str(error) == error.message
    assert "fichier" in error.message.lower()  # a French sentence for a librarian
    return error


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE FICHES_XML [\n{"".join(entities)}\n]>\n'
        "<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&lol9;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>"
    ).encode()


def quadratic_blowup() -> bytes:
    return (
        f'<!DOCTYPE FICHES_XML [<!ENTITY a "{"a" * 50_000}">]>'
        f"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>{'&a;' * 50_000}</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>"
    ).encode()


def external_dtd(url: str) -> bytes:
    doctype = f'<!DOCTYPE FICHES_XML SYSTEM "{url}">'
    return f'<?xml version="1.0"?>\n{doctype}\n<FICHES_XML>{PERSON}</FICHES_XML>'.encode()


def test_billion_laughs():
    assert refuse(billion_laughs(), UnsafeXmlError).code == "unsafe_xml"


def test_quadratic_blowup():
    refuse(quadratic_blowup(), UnsafeXmlError)


def test_undeclared_entity_reference():
    refuse(f"<FICHES_XML>{PERSON.replace('DUPONT', '&nbsp;')}</FICHES_XML>".encode(), UnsafeXmlError)


@pytest.fixture
def secret_file(tmp_path):
    secret = "TOP-SECRET-7f3a9c"
    path = tmp_path / "secret.txt"
    path.write_text(secret)
    return path, secret


def _xxe_payloads(path: Path) -> list[bytes]:
    url = path.as_uri()
    return [
        (f'<!DOCTYPE FICHES_XML [<!ENTITY xxe SYSTEM "{url}">]><FICHES_XML><EMPRUNTEURS>'
         "<EMPRUNTEUR_M>&xxe;</EMPRUNTEUR_M><STATUT_M_M>Autre</STATUT_M_M><IDENTITE_ENT_M>&xxe;</IDENTITE_ENT_M>"
         "</EMPRUNTEURS></FICHES_XML>").encode(),
        f'<!DOCTYPE FICHES_XML [<!ENTITY % p SYSTEM "{url}"> %p;]><FICHES_XML>{PERSON}</FICHES_XML>'.encode(),
        external_dtd(url),
    ]


def _assert_secret_absent(error: BaseException, secret: str) -> None:
    rendered = "".join(traceback.format_exception(error)) + repr(error) + repr(vars(error))
    assert secret not in rendered


def test_external_entity_to_a_local_file_never_leaks(secret_file):
    path, secret = secret_file
    for payload in _xxe_payloads(path):
        error = refuse(payload, UnsafeXmlError)
        _assert_secret_absent(error, secret)
        assert "DTD" in error.message


def test_external_dtd_by_file_url(secret_file):
    refuse(external_dtd(secret_file[0].as_uri()), UnsafeXmlError)


def test_external_dtd_by_http_url():
    refuse(external_dtd("http://127.0.0.1:9/x.dtd"), UnsafeXmlError)


@pytest.fixture
def listening_socket():
    """A local server that records whether anybody connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def test_the_parser_itself_refuses_dtds_when_the_prolog_check_is_bypassed(
    monkeypatch, secret_file, listening_socket
):
    """Defence in depth: even if the hand-written prolog scan missed a DOCTYPE, lxml's settings hold."""
    monkeypatch.setattr(reader_module.Prolog, "_scan", lambda self, text, raw, **_: True)
    path, secret = secret_file
    port = listening_socket.getsockname()[1]
    payloads = [*_xxe_payloads(path), billion_laughs(), quadratic_blowup(),
                external_dtd(f"http://127.0.0.1:{port}/x.dtd"),
                (f'<!DOCTYPE FICHES_XML [<!ENTITY e SYSTEM "http://127.0.0.1:{port}/e">]>'
                 f"<FICHES_XML>{PERSON.replace('ID-1', '&e;')}</FICHES_XML>").encode()]
    for payload in payloads:
        error = refuse(payload, UnsafeXmlError)
        _assert_secret_absent(error, secret)
    assert not _connected(listening_socket)


def test_doctype_split_over_many_tiny_reads_is_still_seen():
    class OneByte(io.BytesIO):
        def read(self, size=-1):
            return super().read(1)

    with pytest.raises(UnsafeXmlError):
        read_fiches(OneByte(billion_laughs()))


def test_lowercase_or_commented_doctype_tricks():
    refuse(b"<?xml version='1.0'?><!-- hello --><!doctype FICHES_XML []><FICHES_XML/>", UnsafeXmlError)
    refuse(b'\xef\xbb\xbf\n\n  <!-- <FICHES_XML> -->\r\n<!DOCTYPE x SYSTEM "y"><FICHES_XML/>', UnsafeXmlError)
    refuse('<!DOCTYPE FICHES_XML SYSTEM "x">'.encode("utf-16"), UnsafeXmlError)


def test_huge_text_node():
    data = b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>" + b"A" * (50 * 1024 * 1024) + b"</EMPRUNTEUR_M>"
    data += b"</EMPRUNTEURS></FICHES_XML>"

    assert refuse(data, FileTooLargeError).code == "token_too_large"


def test_file_over_the_size_limit_is_refused_before_parsing():
    data = b"<FICHES_XML>" + PERSON.encode() * 100 + b"</FICHES_XML>"

    error = refuse(data, FileTooLargeError, limits=Limits(max_bytes=1000))

    assert "taille maximale" in error.message


def test_endless_stream_is_cut_at_the_size_limit():
    class Endless(io.RawIOBase):
        """A FICHES_XML that never ends, as a broken network share could serve."""

        pending = b"<FICHES_XML>"

        def readable(self):
            return True

        def readinto(self, buffer):
            while len(self.pending) < len(buffer):
                self.pending += PERSON.encode() * 100
            buffer[:], self.pending = self.pending[: len(buffer)], self.pending[len(buffer) :]
            return len(buffer)

    with pytest.raises(FileTooLargeError):
        read_fiches(Endless(), limits=Limits(max_bytes=2 * 1024 * 1024))



def test_attribute_flood_in_one_tag_is_refused_before_being_parsed():
    attributes = b"".join(b'a%d="" ' % n for n in range(500_000))

    assert refuse(b"<FICHES_XML " + attributes + b"/>", FileTooLargeError).code == "token_too_large"
    refuse(b"<FICHES_XML><EMPRUNTEURS " + attributes + b"/></FICHES_XML>", FileTooLargeError)


@pytest.mark.parametrize("parent", [b"EMPRUNTEURS", b"ENTETE"])
def test_element_with_a_million_children(parent):
    data = b"<FICHES_XML><" + parent + b">" + b"<X/>" * 1_000_000 + b"</" + parent + b"></FICHES_XML>"

    assert refuse(data, FileTooLargeError).code == "record_too_large"


def test_a_flood_of_bad_people_keeps_memory_bounded(monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_PROBLEMS", 5)
    data = b"<FICHES_XML>" + b"<EMPRUNTEURS><STATUT_M_M>x</STATUT_M_M></EMPRUNTEURS>" * 8 + PERSON.encode()

    result = read_fiches(data + b"</FICHES_XML>")

    assert len(result.records) == 1
    assert [problem.code for problem in result.problems] == ["missing_name"] * 5 + ["too_many_problems"]
    assert result.problems[-1].message.startswith("Dans le fichier : 3 autres problèmes")

def test_deep_nesting():
    data = b"<FICHES_XML><EMPRUNTEURS>" + b"<a>" * 100_000 + b"x" + b"</a>" * 100_000
    data += b"</EMPRUNTEURS></FICHES_XML>"

    refuse(data, TooDeepError)
    # With the depth limit lifted, the bound on elements per person still stops it.
    assert refuse(data, FileTooLargeError, limits=Limits(max_depth=100_000)).code == "record_too_large"


def test_deep_nesting_of_unclosed_elements():
    refuse(b"<FICHES_XML>" + b"<EMPRUNTEURS>" * 1_000_000, TooDeepError)


def test_field_with_a_child_element_is_too_deep():
    refuse(f"<FICHES_XML>{PERSON.replace('DUPONT', '<b>DUPONT</b>')}</FICHES_XML>".encode(), TooDeepError)


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image PNG"),
        ("nom;prénom;classe\nDUPONT;Jean;6eA\n".encode(), "CSV"),
        (b"PK\x03\x04" + bytes(100), "Excel"),
        (random.Random(20260101).randbytes(4096), "ne commence pas"),
        (b"hello <FICHES_XML/>", "ne commence pas"),
    ],
    ids=["png", "csv", "xlsx", "random", "text"],
)
def test_not_xml(data, hint):
    assert hint in refuse(data, NotXmlError).message


def test_another_root_element():
    data = '<?xml version="1.0" encoding="ISO-8859-15"?>\n<BEE_ELEVES VERSION="3.1"><PARAMETRES/>'
    data += "<DONNEES><ELEVES><ELEVE ELEVE_ID='1'><NOM_DE_FAMILLE>MÜLLER</NOM_DE_FAMILLE></ELEVE></ELEVES>"
    data += "</DONNEES></BEE_ELEVES>"

    error = refuse(data.encode("iso-8859-15"), WrongFormatError)

    assert error.message == (
        "Ce fichier n'est pas un fichier d'utilisateurs au format BCDI : l'élément racine est "
        "« BEE_ELEVES », « FICHES_XML » était attendu."
    )
    assert error.line == 2


def test_another_root_is_refused_even_if_broken_later():
    refuse(b"<BEE_ELEVES>" + b"<X>y</X>" * 10_000 + b"</oops>", WrongFormatError)


@pytest.mark.parametrize(
    "data",
    [
        f'<?xml version="1.0"?>\n<FICHES_XML>\n{PERSON}\n{PERSON.replace("ID-1", "ID-2")}\n'.encode(),
        f"<FICHES_XML>{PERSON}<EMPRUNTEURS><EMPRUNTEUR_M>MART".encode(),
        b"<FICHES_XML",
        b'<?xml version="1.0"',
    ],
    ids=["no-closing-root", "mid-record", "mid-tag", "mid-declaration"],
)
def test_truncated_file(data):
    error = refuse(data, NotXmlError)

    assert "incomplet" in error.message or "mal formé" in error.message


def test_truncated_file_yields_records_then_refuses_the_whole_file():
    data = f"<FICHES_XML>\n{PERSON}\n".encode()

    items = []
    with pytest.raises(NotXmlError) as caught:
        items.extend(iter_fiches(data))

    assert len(items) == 1
    assert caught.value.code == "truncated"
    assert "incomplet" in caught.value.message


def test_malformed_file_gives_the_line():
    data = f"<FICHES_XML>\n{PERSON}\n<EMPRUNTEURS>\n<EMPRUNTEUR_M>X</EMPRUNTEUR>\n</FICHES_XML>".encode()

    error = refuse(data, NotXmlError)

    assert error.line == 4
    assert "ligne 4" in error.message


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \n"])
def test_empty_file(data):
    refuse(data, EmptyFileError)


@pytest.mark.parametrize("data", [b"<FICHES_XML/>", b'<?xml version="1.0"?><FICHES_XML>\n\t\n</FICHES_XML>'])
def test_root_without_any_person(data):
    assert refuse(data, EmptyFileError).message == "Le fichier ne contient aucune personne."


@pytest.mark.parametrize(
    "data",
    [
        ('<?xml version="1.0" encoding="UTF-8"?><FICHES_XML>' + PERSON.replace("DUPONT", "Élève LEFÈVRE")
         + "</FICHES_XML>").encode("windows-1252"),
        ("<FICHES_XML>" + PERSON.replace("DUPONT", "MÜLLER") + "</FICHES_XML>").encode("windows-1252"),
        (b'<?xml version="1.0" encoding="windows-1252"?><FICHES_XML>' + b"\x81"
         + PERSON.encode() + b"</FICHES_XML>"),
        f'<?xml version="1.0" encoding="klingon"?><FICHES_XML>{PERSON}</FICHES_XML>'.encode(),
        "<FICHES_XML/>".encode("utf-32"),
    ],
    ids=["declared-utf8", "undeclared", "undefined-cp1252-byte", "unknown-encoding", "utf-32"],
)
def test_wrong_encoding(data):
    refuse(data, EncodingError)


def test_hostile_files_are_refused_from_streams_too(secret_file):
    for data, expected in [
        (billion_laughs(), UnsafeXmlError),
        (_xxe_payloads(secret_file[0])[0], UnsafeXmlError),
        (b"<FICHES_XML>" + b"<EMPRUNTEURS>" * 100_000, TooDeepError),
        (b"<BEE_ELEVES/>", WrongFormatError),
    ]:
        refuse(io.BytesIO(data), expected)


def test_library_versions_are_the_safe_ones():
    """lxml < 6.1.0 resolves external entities in iterparse (CVE-2026-41066)."""
    assert etree.LXML_VERSION >= (6, 1, 0, 0)


SAMPLE_FILES = sorted((Path(__file__).resolve().parents[2] / "data" / "fiches_xml").glob("*.xml"))


@settings(max_examples=400, deadline=None)
@given(
    sample=st.sampled_from(SAMPLE_FILES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "cut", "insert", "drop"]),
                             st.binary(min_size=1, max_size=12)), max_size=4),
)
def test_mangled_files_raise_only_documented_errors(sample, edits):
    """Fuzzing: whatever is done to a real file, the reader answers or raises a FichesXmlError."""
    data = bytearray(sample.read_bytes())
    for where, action, payload in edits:
        at = int(where * len(data))
        if action == "flip" and at < len(data):
            data[at] ^= payload[0] or 1
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = payload
        elif action == "drop":
            del data[at : at + len(payload)]
    try:
        result = read_fiches(bytes(data))
    except FichesXmlError as error:
        assert error.message and str(error) == error.message
    else:
        assert all(record.name and record.ent_identity for record in result.records)
