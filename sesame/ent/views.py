"""ENT pages: login, home, the Services externes module and its administration (seed B and E)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .export import esidoc_export_create
from .forms import EntAuthenticationForm, EsidocAccessForm, EsidocExportForm
from .models import EsidocExport
from .selectors import level_tree, person_for_user
from .services import esidoc_access_set


def administration_required(view):
    """Administration › Paramètres is for the DIRECTEUR and ADMIN functions only (seed B.1)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        person = person_for_user(user=request.user)
        if person is None or not person.can_administer:
            reason = _(
                "Cette page est réservée au directeur et aux administrateurs de l'établissement. "
                "Votre profil ne permet pas d'y accéder."
            )
            return render(request, "ent/forbidden.html", {"reason": reason}, status=403)
        return view(request, person, *args, **kwargs)

    return wrapper


class EntLoginView(auth_views.LoginView):
    template_name = "ent/login.html"
    redirect_authenticated_user = True
    authentication_form = EntAuthenticationForm


@login_required
def home(request):
    return render(request, "ent/home.html", {"active": "home"})


@login_required
def external_services(request):
    """The *Services externes* module: every user sees the e-sidoc tile once a URL is set."""
    person = person_for_user(user=request.user)
    establishment = person.establishment if person else None
    return render(
        request,
        "ent/external_services.html",
        {"active": "external_services", "establishment": establishment},
    )


@administration_required
@require_http_methods(["GET", "POST"])
def admin_external_services(request, person):
    establishment = person.establishment
    form = EsidocAccessForm(request.POST or None, instance=establishment)
    if request.method == "POST" and form.is_valid():
        esidoc_access_set(establishment=establishment, url=form.cleaned_data["esidoc_url"],
                          new_window=form.cleaned_data["esidoc_new_window"], acting_user=request.user)
        messages.success(request, _("L'accès E-SIDOC de l'établissement est enregistré."))
        return redirect("ent:admin_external_services")
    return render(
        request,
        "ent/admin_external_services.html",
        {"active": "admin_external_services", "form": form, "establishment": establishment},
    )


@administration_required
@require_http_methods(["GET", "POST"])
def esidoc_export(request, person):
    """Tick classes, teachers, staff; *Exporter*; then *Télécharger le fichier XML pour E-SIDOC*."""
    establishment = person.establishment
    tree = level_tree(establishment=establishment)
    export = None
    if request.method == "POST":
        form = EsidocExportForm(request.POST, establishment=establishment)
        if form.is_valid():
            export = esidoc_export_create(
                establishment=establishment,
                class_ids=form.cleaned_data["class_ids"],
                include_teachers=form.cleaned_data["teachers"],
                include_staff=form.cleaned_data["staff"],
                acting_user=request.user,
            )
            return redirect(f"{request.path}?export={export.pk}")
        checked_classes = {int(v) for v in request.POST.getlist("classes") if v.isdigit()}
        checked_levels = {int(v) for v in request.POST.getlist("levels") if v.isdigit()}
    else:
        export_id = request.GET.get("export", "")
        if export_id.isdigit():
            export = EsidocExport.objects.filter(pk=int(export_id), establishment=establishment).first()
        # The seed recommends one export with everything: every box starts ticked, or as last exported.
        selection = export.selection if export else {}
        form = EsidocExportForm(
            initial={"teachers": selection.get("teachers", True), "staff": selection.get("staff", True)},
            establishment=establishment,
        )
        all_classes = {c.pk for _level, classes in tree for c in classes}
        checked_classes = set(selection["class_ids"]) if export else all_classes
        checked_levels = {
            level.pk for level, classes in tree if all(c.pk in checked_classes for c in classes)
        }
    return render(
        request,
        "ent/esidoc_export.html",
        {
            "active": "admin_external_services",
            "form": form,
            "tree": tree,
            "export": export,
            "checked_levels": checked_levels,
            "checked_classes": checked_classes,
        },
    )


@administration_required
def esidoc_export_download(request, person, export_id: int):
    export = get_object_or_404(EsidocExport, pk=export_id, establishment=person.establishment)
    response = HttpResponse(bytes(export.content), content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
