"""URLs of the library's tools pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

urlpatterns: list = []
