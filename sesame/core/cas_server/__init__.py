"""The Django-side pieces of a CAS server, shared by every CAS server Sésame runs.

Who uses it: the ENT's CAS server (``sesame.ent.cas``) today; the portal's CAS server for
publishers (``sesame.portal.cas_server``) when it is written. The two may not import each other,
so what both need lives here, and this package imports neither of them nor the library (the
``core`` import-linter contract). Protocol rules (ticket format, answers, error codes, service
matching) are not here either: they are the pure ``sesame.interop.cas``. What stays in each server
is what is its own: the service registry, who the person is and which attributes are released,
the views, URLs and templates, the concrete models and their migrations.

What it holds:

- ``clock``: ``now()``, the clock every ticket lifetime and throttling window is measured against.
  Call it as ``clock.now()``; tests replace ``sesame.core.cas_server.clock.now`` to move time.
- ``conf``: ``CasSettings`` (frozen) and ``cas_settings_read(prefix=…, cookie_path=…,
  cache_namespace=…)``, which reads one server's settings (``<prefix>SERVICE_TICKET_SECONDS`` and
  so on) with the shared defaults; ``TGC_COOKIE_NAME`` (``CASTGC``). Each server wraps it in its
  own ``cas_settings()`` (the ENT: ``SESAME_CAS_``, ``/ent/cas/``, ``ent_cas``).
- ``models``: ``AbstractTicketGrantingTicket`` and ``AbstractServiceTicket``. A server's app
  subclasses them as ``TicketGrantingTicket`` and ``ServiceTicket`` next to its own
  ``RegisteredService`` (the service ticket's relations are resolved in that app).
- ``ticket_store``: ``consume_if_valid(model=…, ticket=…, service=…, now=…, oldest=…, renew=…)`` and
  ``consume(model=…, ticket=…, now=…)``, which spend a service ticket in one
  ``UPDATE … RETURNING``, so exactly one validation wins (§3.1.1).
- ``throttling``: ``client_address(request, trusted_proxies=…)``, ``login_is_throttled``,
  ``login_failure_record`` and ``login_success_record`` (keyword arguments ``username``,
  ``address``, ``config``, ``now``), counted in Django's cache under the server's namespace;
  ``THROTTLED_MESSAGE``.
- ``single_logout``: ``LogoutNotice`` and ``notices_send_in_background(notices, timeout=…)``, the
  back-channel log-out requests sent after a single sign-on ends (§2.3.3).
"""
