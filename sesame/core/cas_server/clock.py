"""The CAS servers' clock: every ticket lifetime is measured against ``now()``.

It is Sésame's one clock (``sesame.core.clock``) under the name the CAS code reads. Call it as
``clock.now()`` (``from sesame.core.cas_server import clock``), never bind ``now`` itself: tests
move time either with the project's ``clock`` fixture or by replacing this function
(``monkeypatch.setattr("sesame.core.cas_server.clock.now", …)``), and a bound name would not move.
"""

from datetime import datetime

from sesame.core import clock as sesame_clock


def now() -> datetime:
    return sesame_clock.now()
