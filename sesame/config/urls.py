"""Mounts the parts of Sésame. A node deployed for one role mounts only that part's URLconf."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="landing"),
    path("ent/", include("sesame.ent.urls")),
    path("bibliotheque/", include("sesame.library.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
