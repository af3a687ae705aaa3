"""The service registry in *Administration › Paramètres* (DIRECTEUR and ADMIN only).

A school's administration sees the services open to its establishment and edits those restricted
to it alone; services open to several or to every establishment are managed by the ENT's operator
(``manage.py ent_add_service``) and shown read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import Person
from ..views import administration_required
from .attributes import ATTRIBUTE_LABELS
from .forms import RegisteredServiceForm
from .models import RegisteredService
from .selectors import registered_service_is_editable, registered_service_list
from .services import registered_service_save


@administration_required
def registry(request: HttpRequest, person: Person) -> HttpResponse:
    establishment = person.establishment
    rows = [
        {
            "service": service,
            "editable": registered_service_is_editable(service=service, establishment=establishment),
            "attributes": ", ".join(service.released_attributes or []) or "—",
        }
        for service in registered_service_list(establishment=establishment)
    ]
    return render(request, "cas/admin_registry.html", {"active": "cas_registry", "rows": rows})


@administration_required
@require_http_methods(["GET", "POST"])
def registry_edit(request: HttpRequest, person: Person, service_id: int | None = None) -> HttpResponse:
    establishment = person.establishment
    service = None
    if service_id is not None:
        service = get_object_or_404(RegisteredService, pk=service_id)
        if not registered_service_is_editable(service=service, establishment=establishment):
            reason = _("Ce service est géré par l'exploitant de l'ENT : il ne peut pas être modifié ici.")
            return render(request, "ent/forbidden.html", {"reason": reason}, status=403)
    form = RegisteredServiceForm(request.POST or None, instance=service, establishment=establishment)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        registered_service_save(service=saved, establishments=list(form.cleaned_data["establishments"]))
        messages.success(request, _("Le service « %(name)s » est enregistré.") % {"name": saved.name})
        return redirect("ent:cas:registry")
    return render(
        request,
        "cas/admin_service_form.html",
        {"active": "cas_registry", "form": form, "service": service, "labels": ATTRIBUTE_LABELS},
    )
