"""Validation answers: golden XML, round trips, CAS 1.0, and a parser that trusts nothing."""

import pytest

from sesame.interop.cas import (
    ServiceResponseError,
    ValidationFailure,
    ValidationSuccess,
    parse_cas1_response,
    parse_service_response,
    render_cas1_failure,
    render_cas1_success,
    render_service_response,
)

SUCCESS = ValidationSuccess(
    user="ENT0001",
    attributes={"ENTPersonProfils": ("National_ELV",), "ENTEleveClasses": ("6eA", "6e-latin"),
                "sn": ("LEFÈVRE",)},
)


def test_success_is_the_spec_document():
    assert render_service_response(SUCCESS).decode() == (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n'
        "  <cas:authenticationSuccess>\n"
        "    <cas:user>ENT0001</cas:user>\n"
        "    <cas:attributes>\n"
        "      <cas:ENTPersonProfils>National_ELV</cas:ENTPersonProfils>\n"
        "      <cas:ENTEleveClasses>6eA</cas:ENTEleveClasses>\n"
        "      <cas:ENTEleveClasses>6e-latin</cas:ENTEleveClasses>\n"
        "      <cas:sn>LEFÈVRE</cas:sn>\n"
        "    </cas:attributes>\n"
        "  </cas:authenticationSuccess>\n"
        "</cas:serviceResponse>\n"
    )


def test_failure_is_the_spec_document():
    failure = ValidationFailure(code="INVALID_TICKET", message="Ticket <inconnu> & usé")

    assert render_service_response(failure).decode() == (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n'
        '  <cas:authenticationFailure code="INVALID_TICKET">Ticket &lt;inconnu&gt; &amp; usé'
        "</cas:authenticationFailure>\n"
        "</cas:serviceResponse>\n"
    )


@pytest.mark.parametrize("message", [
    SUCCESS,
    ValidationSuccess(user="eleve"),
    ValidationFailure(code="INVALID_SERVICE", message="Autre service"),
])
def test_parse_reads_what_render_writes(message):
    assert parse_service_response(render_service_response(message)) == message


def test_a_user_value_cannot_inject_elements():
    forged = ValidationSuccess(user="x</cas:user><cas:user>admin")

    assert parse_service_response(render_service_response(forged)) == forged


@pytest.mark.parametrize("name", ["a:b", "1abc", "with space", "é", ""])
def test_attribute_names_must_be_xml_names(name):
    with pytest.raises(ValueError, match="Invalid CAS attribute name"):
        render_service_response(ValidationSuccess(user="u", attributes={name: ("v",)}))


def test_cas1_answers():
    assert render_cas1_success("ENT0001") == b"yes\nENT0001\n"
    assert render_cas1_failure() == b"no\n\n"
    assert parse_cas1_response(b"yes\nENT0001\n") == ValidationSuccess(user="ENT0001")
    assert parse_cas1_response(b"no\n\n") == ValidationFailure(code="", message="")


@pytest.mark.parametrize("user", ["a\nyes", "a\rb", ""])
def test_a_cas1_user_is_one_line(user):
    with pytest.raises(ValueError):
        render_cas1_success(user)


@pytest.mark.parametrize("data", [b"maybe\nuser\n", b"yes\n\n", b"\xff\xfe", b""])
def test_a_cas1_answer_that_is_neither_yes_nor_no_is_an_error(data):
    with pytest.raises(ServiceResponseError):
        parse_cas1_response(data)


NS = 'xmlns:cas="http://www.yale.edu/tp/cas"'
HOSTILE = {
    "not xml": b"<html>Service Unavailable",
    "empty": b"",
    "wrong root": f"<cas:other {NS}><cas:authenticationSuccess><cas:user>u</cas:user>"
                  "</cas:authenticationSuccess></cas:other>".encode(),
    "no namespace": b"<serviceResponse><authenticationSuccess><user>u</user></authenticationSuccess>"
                    b"</serviceResponse>",
    "two outcomes": f"<cas:serviceResponse {NS}><cas:authenticationFailure code='X'/>"
                    "<cas:authenticationSuccess><cas:user>u</cas:user></cas:authenticationSuccess>"
                    "</cas:serviceResponse>".encode(),
    "no outcome": f"<cas:serviceResponse {NS}/>".encode(),
    "success without user": f"<cas:serviceResponse {NS}><cas:authenticationSuccess/>"
                            "</cas:serviceResponse>".encode(),
    "empty user": f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user> </cas:user>"
                  "</cas:authenticationSuccess></cas:serviceResponse>".encode(),
    "two users": f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>a</cas:user>"
                 "<cas:user>b</cas:user></cas:authenticationSuccess></cas:serviceResponse>".encode(),
    "failure without code": f"<cas:serviceResponse {NS}><cas:authenticationFailure>x"
                            "</cas:authenticationFailure></cas:serviceResponse>".encode(),
    "proxy success": f"<cas:serviceResponse {NS}><cas:proxySuccess><cas:proxyTicket>PT-1</cas:proxyTicket>"
                     "</cas:proxySuccess></cas:serviceResponse>".encode(),
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                      b"<cas:serviceResponse " + NS.encode() + b"><cas:authenticationSuccess>"
                      b"<cas:user>&lol2;</cas:user></cas:authenticationSuccess></cas:serviceResponse>",
    "xxe": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<cas:serviceResponse " + NS.encode() + b"><cas:authenticationSuccess>"
           b"<cas:user>&x;</cas:user></cas:authenticationSuccess></cas:serviceResponse>",
    "utf-16 doctype": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "y">]>'
                      f"<cas:serviceResponse {NS}/>".encode("utf-16"),
    "too large": b"<cas:serviceResponse " + NS.encode() + b">" + b" " * (1024 * 1024 + 1),
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_anything_but_a_clear_answer_is_an_error(data):
    with pytest.raises(ServiceResponseError):
        parse_service_response(data)


def test_comments_cannot_split_the_user():
    data = (f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>admin<!-- -->.evil</cas:user>"
            "</cas:authenticationSuccess></cas:serviceResponse>").encode()

    assert parse_service_response(data) == ValidationSuccess(user="admin.evil")


def test_attributes_of_a_foreign_server_are_read_by_local_name():
    data = (f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>u</cas:user>"
            "<cas:attributes><cas:RNE>0750001A</cas:RNE><cas:uid>u</cas:uid></cas:attributes>"
            "<cas:proxyGrantingTicket>PGTIOU-1</cas:proxyGrantingTicket>"
            "</cas:authenticationSuccess></cas:serviceResponse>").encode()

    assert parse_service_response(data) == ValidationSuccess(
        user="u", attributes={"RNE": ("0750001A",), "uid": ("u",)})
