from django.contrib.auth import views as auth_views
from django.http import HttpResponse


def home(request):
    return HttpResponse("")


class EntLoginView(auth_views.LoginView):
    pass


class EntLogoutView(auth_views.LogoutView):
    pass


external_services = admin_external_services = esidoc_export = esidoc_export_download = home
