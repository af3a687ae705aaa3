"""The temporary users' tests work in the circulation's small school (``base``)."""

from tests.library.circulation.conftest import base, today  # noqa: F401  (fixtures, shared)
