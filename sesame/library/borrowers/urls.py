"""URLs of *Gestion des emprunteurs* (mounted under /bibliotheque/<uai>/ by the library's urls.py)."""

from django.urls import path

from sesame.library.borrowers import views
from sesame.library.borrowers.check import views as check_views

urlpatterns = [
    path("emprunteurs/", views.borrower_search, name="borrower_search"),
    path("emprunteurs/<int:number>/", views.borrower_detail, name="borrower_detail"),
    path("emprunteurs/verifier/", check_views.borrower_check, name="borrower_check"),
]
