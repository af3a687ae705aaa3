"""Ticket rules of §3: prefix, charset, randomness, length, lifetime with an injected clock."""

import math
import re
import string
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from sesame.interop.cas import is_expired, is_well_formed, new_ticket

SPEC_CHARACTERS = set(string.ascii_letters + string.digits)  # §3.7 allows "-" too; it is the prefix's


@pytest.fixture(scope="module")
def issued():
    """Real tickets of each kind, as the generator makes them."""
    return {prefix: [new_ticket(prefix) for _ in range(5000)] for prefix in ("ST-", "TGT-")}


def random_parts(tickets: list[str], prefix: str) -> list[str]:
    assert all(ticket.startswith(prefix) for ticket in tickets)
    return [ticket[len(prefix):] for ticket in tickets]


def test_a_service_ticket_is_st_and_32_characters_of_the_spec_charset(issued):
    assert all(re.fullmatch(r"ST-[A-Za-z0-9]{29}", ticket) for ticket in issued["ST-"])


def test_a_ticket_granting_ticket_is_tgt_and_43_characters_of_the_spec_charset(issued):
    assert all(re.fullmatch(r"TGT-[A-Za-z0-9]{43}", ticket) for ticket in issued["TGT-"])


@pytest.mark.parametrize("prefix, bits", [("ST-", 172), ("TGT-", 256)])
def test_the_random_part_carries_the_bits_the_docs_promise(issued, prefix, bits):
    """Bits of a ticket = random length × log2(alphabet), both read from real tickets (at least 128,
    §3.1.1 and ASVS 3.2.2). The formula holds only for uniform draws, so every character must come
    up about as often as the others."""
    parts = random_parts(issued[prefix], prefix)
    (length,) = {len(part) for part in parts}
    seen = Counter("".join(parts))
    expected = length * len(parts) / len(seen)

    assert set(seen) == SPEC_CHARACTERS
    # 15 %: over seven standard deviations of chance at 5,000 tickets; a modulo bias is 21 %.
    assert all(abs(count - expected) < 0.15 * expected for count in seen.values()), seen
    assert math.floor(length * math.log2(len(seen))) == bits


@pytest.mark.parametrize("prefix", ["ST-", "TGT-"])
def test_tickets_do_not_repeat(issued, prefix):
    assert len(set(issued[prefix])) == len(issued[prefix])


def test_every_character_position_varies(issued):
    parts = random_parts(issued["ST-"], "ST-")

    assert all(len({part[i] for part in parts}) > 40 for i in range(29))


@pytest.mark.parametrize("prefix, size", [("ST-", 15), ("ST_", 21), ("", 21)])
def test_weak_or_malformed_tickets_are_refused(prefix, size):
    with pytest.raises(ValueError):
        new_ticket(prefix, entropy_bytes=size)


@pytest.mark.parametrize("value, expected", [
    ("ST-abc-123", True), ("ST-", False), ("PT-abc", False), ("ST-a_b", False), ("ST-a b", False),
    ("ST-" + "a" * 253, True), ("ST-" + "a" * 254, False), ("ST-é", False),
])
def test_well_formed_service_tickets(value, expected):
    assert is_well_formed(value, "ST-") is expected


def test_the_lifetime_includes_its_last_second():
    issued = datetime(2025, 9, 2, 8, 0, tzinfo=UTC)
    lifetime = timedelta(seconds=10)

    assert is_expired(issued, issued + timedelta(seconds=10), lifetime) is False
    assert is_expired(issued, issued + timedelta(seconds=10, microseconds=1), lifetime) is True
    assert is_expired(issued, issued + timedelta(seconds=11), lifetime) is True
