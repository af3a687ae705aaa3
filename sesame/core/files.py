"""Reading a file from outside with a size limit, before anything parses it.

One helper for every upload and every command's input: a file is hostile until proven otherwise,
so no more than ``limit`` bytes are ever read into memory, and a larger file is refused with the
caller's French message instead of being read whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO


class FileTooLarge(ValueError):
    """The file holds more than the limit; nothing of it should be used."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def read_limited(source: BinaryIO | Path | str, *, limit: int) -> bytes:
    """Every byte of ``source`` (an open binary file, an upload or a path), at most ``limit``.

    Reads ``limit + 1`` bytes at most, so a huge file costs no more memory than an acceptable one;
    raises ``FileTooLarge`` when there was more.
    """
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            return read_limited(handle, limit=limit)
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > limit:  # an upload knows its size: refuse before reading
        raise FileTooLarge(limit)
    content = source.read(limit + 1)
    if len(content) > limit:
        raise FileTooLarge(limit)
    return content
