from django.urls import include, path

from . import views

app_name = "ent"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.EntLoginView.as_view(), name="login"),
    path("services-externes/", views.external_services, name="external_services"),
    path("administration/parametres/services-externes/", views.admin_external_services,
         name="admin_external_services"),
    path("administration/parametres/services-externes/export-esidoc/", views.esidoc_export,
         name="esidoc_export"),
    path("administration/parametres/services-externes/export-esidoc/<int:export_id>/telecharger/",
         views.esidoc_export_download, name="esidoc_export_download"),
    path("cas/", include("sesame.ent.cas.urls")),
]
