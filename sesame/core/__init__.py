"""Small Django-side pieces shared by the ENT, the library and the portal (which never import each other)."""
