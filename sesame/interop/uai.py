"""UAI (ex-RNE) establishment codes: seven digits and a check letter.

The check letter is the seven digits modulo 23, used as an index into an alphabet without
I, O and Q (letters that read like digits). ``9990001X`` is the demo collège's code.
"""

import re

UAI_CHECK_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_SHAPE = re.compile(r"^(\d{7})([A-Z])$")


def uai_check_letter(digits: str) -> str:
    return UAI_CHECK_ALPHABET[int(digits) % 23]


def normalize_uai(value: str) -> str:
    """Upper-case and strip a UAI as people type it (``0750001a `` → ``0750001A``)."""
    return (value or "").strip().upper()


def is_valid_uai(value: str) -> bool:
    match = _UAI_SHAPE.match(normalize_uai(value))
    return bool(match) and uai_check_letter(match.group(1)) == match.group(2)
