"""Ticket rules of §3: prefix, charset, randomness, length, lifetime with an injected clock."""

import math
import re
from datetime import UTC, datetime, timedelta

import pytest

from sesame.interop.cas import is_expired, is_well_formed, new_ticket


def test_a_service_ticket_is_st_and_32_characters_of_the_spec_charset():
    ticket = new_ticket("ST-")

    assert re.fullmatch(r"ST-[A-Za-z0-9]{29}", ticket)


def test_a_ticket_granting_ticket_carries_256_bits():
    ticket = new_ticket("TGT-")

    assert re.fullmatch(r"TGT-[A-Za-z0-9]{43}", ticket)
    assert 43 * math.log2(62) >= 256


def test_a_service_ticket_carries_more_than_128_bits():
    assert 29 * math.log2(62) > 172 > 128


def test_tickets_do_not_repeat():
    assert len({new_ticket("ST-") for _ in range(5000)}) == 5000


def test_every_character_position_varies():
    tickets = [new_ticket("ST-")[3:] for _ in range(2000)]

    assert all(len({t[i] for t in tickets}) > 40 for i in range(29))


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
