"""URLs of the library's catalogue pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

urlpatterns: list = []
