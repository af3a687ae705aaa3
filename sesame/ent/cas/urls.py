"""The CAS server's URLs, under the ENT: ``/ent/cas/login`` and so on, without trailing slashes,
because clients append the endpoint names to the CAS base URL (CAS 3.0 §2)."""

from django.urls import path

from . import admin_views, validation_views, views

app_name = "cas"

urlpatterns = [
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("validate", validation_views.validate, name="validate"),
    path("serviceValidate", validation_views.service_validate, name="service_validate"),
    path("proxyValidate", validation_views.service_validate, name="proxy_validate"),
    path("p3/serviceValidate", validation_views.service_validate, name="p3_service_validate"),
    path("p3/proxyValidate", validation_views.service_validate, name="p3_proxy_validate"),
    path("services/", admin_views.registry, name="registry"),
    path("services/nouveau/", admin_views.registry_edit, name="registry_create"),
    path("services/<int:service_id>/", admin_views.registry_edit, name="registry_edit"),
]
