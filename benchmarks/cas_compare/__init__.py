"""django-cas-server (from PyPI), set up only to be measured against the ENT's CAS server."""
