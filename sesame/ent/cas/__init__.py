"""The ENT's CAS server: a thin Django adapter around ``sesame.interop.cas`` (SPEC §1, seed D and E).

The pieces any CAS server needs (clock, settings reader, abstract ticket models, ticket store,
throttling, single log-out) come from ``sesame.core.cas_server``, shared with the portal's server.

One login for the ENT pages and CAS: the CAS login form signs the person into the ENT's Django
session, and an ENT session counts as single sign-on for ``/ent/cas/login``. See docs/cas.md.
"""
