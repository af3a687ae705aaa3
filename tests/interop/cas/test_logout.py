"""Single log-out requests (§2.3.3, Appendix C)."""

from datetime import UTC, datetime

import pytest
from cas import SingleLogoutMixin

from sesame.interop.cas import parse_logout_request, render_logout_request


def test_the_request_is_the_appendix_c_document():
    document = render_logout_request(session_index="ST-abc", request_id="LR-1",
                                     issue_instant=datetime(2025, 9, 2, 8, 0, 5, tzinfo=UTC))

    assert document.decode() == (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2025-09-02T08:00:05Z"><saml:NameID>@NOT_USED@</saml:NameID>'
        "<samlp:SessionIndex>ST-abc</samlp:SessionIndex></samlp:LogoutRequest>"
    )


def test_python_cas_and_the_parser_read_the_session_index():
    document = render_logout_request(session_index="ST-abc", request_id="LR-1",
                                     issue_instant=datetime(2025, 9, 2, tzinfo=UTC))

    assert parse_logout_request(document) == "ST-abc"
    assert SingleLogoutMixin.verify_logout_request(document, "ST-abc") is True


@pytest.mark.parametrize("data", [
    b"<other/>",
    b'<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
    b'<!DOCTYPE x [<!ENTITY e "ST-x">]><samlp:LogoutRequest '
    b'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>&e;</samlp:SessionIndex>'
    b"</samlp:LogoutRequest>",
])
def test_anything_else_is_refused(data):
    with pytest.raises(ValueError):
        parse_logout_request(data)
