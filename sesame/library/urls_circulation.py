"""URLs of the library's circulation pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

urlpatterns: list = []
