"""URLs of *Mettre à jour* (seed C), mounted under /bibliotheque/<uai>/ by the library's urls.py.

"Télécharger la sauvegarde", offered before an update, is the tools' own backup download, served
here under the update's address: one view, one file format, whichever page the librarian is on.
"""

from django.urls import path

from sesame.library.tools import views as tools_views
from sesame.library.update import views

urlpatterns = [
    path("emprunteurs/mettre-a-jour/", views.update_start, name="update_start"),
    path("emprunteurs/mettre-a-jour/sauvegarde/", tools_views.tools_backup_download,
         name="update_backup"),
    path("emprunteurs/mettre-a-jour/fichier/", views.update_file, name="update_file"),
    path("emprunteurs/mettre-a-jour/<int:run_id>/", views.update_run, name="update_run"),
    path("emprunteurs/mettre-a-jour/<int:run_id>/importation/", views.update_import, name="update_import"),
    path("emprunteurs/mettre-a-jour/<int:run_id>/rapport/", views.update_report, name="update_report"),
    path("emprunteurs/mettre-a-jour/<int:run_id>/rapport.rtf", views.update_report_rtf,
         name="update_report_rtf"),
    path("emprunteurs/mettre-a-jour/annuler/", views.update_undo_view, name="update_undo"),
]
