"""The temporary users' tests work in the circulation's small school (``base``)."""

from tests.library.circulation.conftest import (  # noqa: F401  (fixtures, shared)
    _french_afterwards,
    base,
    in_english,
    today,
)
