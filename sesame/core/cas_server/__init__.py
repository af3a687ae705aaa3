"""The Django-side pieces of a CAS server, shared by every CAS server Sésame runs.

The ENT's CAS server (``sesame.ent.cas``) uses them today; the portal's CAS server for publishers
will use them too. The two may not import each other (import-linter), so what both need lives here,
and this package imports neither of them nor the library. Protocol rules (ticket format, answers,
error codes) are not here: they are the pure ``sesame.interop.cas``.

- ``clock``: the clock every lifetime is measured against; tests move it.
- ``models``: abstract ticket-granting and service ticket models; each server's app has the
  concrete ones and their migrations.
- ``conf``: ``CasSettings`` and ``cas_settings_read(prefix=…, cookie_path=…)``, which reads one
  server's settings (``<prefix>SERVICE_TICKET_SECONDS`` …) with shared defaults;
  ``TGC_COOKIE_NAME``.
- ``single_logout``: ``LogoutNotice`` and ``notices_send_in_background(notices, timeout=…)``,
  the back-channel log-out requests sent after a single sign-on ends (§2.3.3).
- ``ticket_store``: ``consume_if_valid(model=…, …)`` and ``consume(model=…, …)``, which spend a
  service ticket in one ``UPDATE … RETURNING``, so exactly one validation wins (§3.1.1).
"""
