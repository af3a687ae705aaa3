"""The library's URLs: sign-in and the dashboard here, each capability's pages under ``<uai>/``.

Every capability keeps its own URLconf; all of them share the ``library`` namespace, so a URL
name (``library:update_start``) does not say which folder holds the view — its ``urls.py`` does.
"""

from django.urls import include, path

from sesame.library import help, home

app_name = "library"

urlpatterns = [
    path("", home.index, name="index"),
    path("connexion/", home.LibraryLoginView.as_view(), name="login"),
    path("deconnexion/", home.LibraryLogoutView.as_view(), name="logout"),
    path("aide/<slug:page>/", help.help_page, name="help"),
    path("<str:uai>/", home.dashboard, name="dashboard"),
    path("<str:uai>/", include("sesame.library.borrowers.urls")),
    path("<str:uai>/", include("sesame.library.update.urls")),
    path("<str:uai>/", include("sesame.library.circulation.urls")),
    path("<str:uai>/", include("sesame.library.temporary_users.urls")),
    path("<str:uai>/", include("sesame.library.catalogue.urls")),
    path("<str:uai>/", include("sesame.library.tools.urls")),
]
