from django.urls import include, path

from . import views, views_borrowers, views_check, views_help, views_update

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("connexion/", views.LibraryLoginView.as_view(), name="login"),
    path("deconnexion/", views.LibraryLogoutView.as_view(), name="logout"),
    path("aide/<slug:page>/", views_help.help_page, name="help"),
    path("<str:uai>/", views.dashboard, name="dashboard"),
    # Gestion des emprunteurs
    path("<str:uai>/emprunteurs/", views_borrowers.borrower_search, name="borrower_search"),
    path("<str:uai>/emprunteurs/<int:number>/", views_borrowers.borrower_detail, name="borrower_detail"),
    path("<str:uai>/emprunteurs/verifier/", views_check.borrower_check, name="borrower_check"),
    # Mettre à jour (seed C)
    path("<str:uai>/emprunteurs/mettre-a-jour/", views_update.update_start, name="update_start"),
    path("<str:uai>/emprunteurs/mettre-a-jour/sauvegarde/", views_update.update_backup, name="update_backup"),
    path("<str:uai>/emprunteurs/mettre-a-jour/fichier/", views_update.update_file, name="update_file"),
    path("<str:uai>/emprunteurs/mettre-a-jour/<int:run_id>/", views_update.update_run, name="update_run"),
    path("<str:uai>/emprunteurs/mettre-a-jour/<int:run_id>/importation/", views_update.update_import,
         name="update_import"),
    path("<str:uai>/emprunteurs/mettre-a-jour/<int:run_id>/rapport/", views_update.update_report,
         name="update_report"),
    path("<str:uai>/emprunteurs/mettre-a-jour/<int:run_id>/rapport.rtf", views_update.update_report_rtf,
         name="update_report_rtf"),
    path("<str:uai>/emprunteurs/mettre-a-jour/annuler/", views_update.update_undo_view, name="update_undo"),
    # Circulation, catalogue and tools each keep their own URLconf.
    path("<str:uai>/", include("sesame.library.urls_circulation")),
    path("<str:uai>/", include("sesame.library.urls_catalogue")),
    path("<str:uai>/", include("sesame.library.urls_tools")),
]
