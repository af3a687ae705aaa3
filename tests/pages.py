"""Reading the pages the tests get back, as a librarian reads them: the source (``text``), the
words of an element (``plain``), the announcements in ``role=status`` and ``role=alert``, the
rows of a table. Pages are parsed with ``lxml.html``, never matched with regular expressions.
"""

from __future__ import annotations

import html

import lxml.html


def text(response) -> str:
    """The page's HTML source with its entities decoded, for "this link is on the page" checks."""
    return html.unescape(response.content.decode())


def document(response):
    return lxml.html.document_fromstring(response.content.decode())


def words(element) -> str:
    """What an element says: its text without tags, one space between words."""
    return " ".join(element.text_content().split())


def plain(fragment: str) -> str:
    """What a piece of HTML says, without its tags (one space between words)."""
    return words(lxml.html.fragment_fromstring(fragment, create_parent="div"))


def statuses(response) -> list[str]:
    """The Django messages of the page, each announced in ``role=status``."""
    return [words(item) for item in document(response).xpath('//li[@role="status"]')]


def alerts(response) -> list[str]:
    """The refusals and errors of the page, each in ``role=alert``."""
    return [words(item) for item in document(response).xpath('//*[@role="alert"]')]


def by_testid(response, testid: str) -> list:
    """The elements with this ``data-testid``."""
    return document(response).xpath(f'//*[@data-testid="{testid}"]')


def table_rows(response, testid: str) -> list[list[str]]:
    """The body rows of the table with this ``data-testid``, each as the words of its cells."""
    [table] = document(response).xpath(f'//table[@data-testid="{testid}"]')
    return [[words(cell) for cell in row.xpath("./td")] for row in table.xpath("./tbody/tr")]
