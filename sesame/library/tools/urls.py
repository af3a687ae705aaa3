"""URLs of the library's tools pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

from django.urls import path

from sesame.library.tools import views as views_tools

urlpatterns = [
    path("outils/sauvegarde/", views_tools.tools_backup, name="tools_backup"),
    path("outils/sauvegarde/fichier/", views_tools.tools_backup_download, name="tools_backup_download"),
    path("outils/prets-anonymes/", views_tools.tools_anonymize, name="tools_anonymize"),
    path("outils/statistiques/", views_tools.tools_statistics, name="tools_statistics"),
]
