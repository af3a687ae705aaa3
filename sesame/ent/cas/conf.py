"""The ENT's CAS server settings: ``SESAME_CAS_*``, read by ``sesame.core.cas_server.conf``.

Every setting, its default and its meaning are listed in docs/cas.md. The ticket-granting cookie
lives under ``/ent/cas/`` unless ``SESAME_CAS_COOKIE_PATH`` says otherwise. Login failures are
counted under the ``ent_cas`` cache keys, shared by the CAS form and the ENT's own login form
(both take the same passwords).
"""

from __future__ import annotations

from sesame.core.cas_server.conf import CasSettings, cas_settings_read

SETTINGS_PREFIX = "SESAME_CAS_"
COOKIE_PATH = "/ent/cas/"
CACHE_NAMESPACE = "ent_cas"


def cas_settings() -> CasSettings:
    return cas_settings_read(prefix=SETTINGS_PREFIX, cookie_path=COOKIE_PATH, cache_namespace=CACHE_NAMESPACE)
