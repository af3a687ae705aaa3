"""Retards et relances: the overdue loans of a class (or of everyone) and their reminder letters
as one PDF to print (SPEC §2, seed C7)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sesame.core import clock
from sesame.library.circulation.forms import OverdueFilterForm
from sesame.library.circulation.letters import reminder_letters_pdf
from sesame.library.circulation.selectors import overdue_classes, overdue_loans
from sesame.library.circulation.views.pages import page
from sesame.library.common.pages import attachment, first_error
from sesame.library.common.tenancy import librarian_required

TEMPLATE = "library/circulation/overdue.html"


@librarian_required
@require_GET
def circulation_overdue(request, library):
    today = clock.today()
    form = OverdueFilterForm(request.GET)
    classes = overdue_classes(library=library, today=today)
    if not form.is_valid():
        context = {"form": form, "classes": classes, "loans": [], "selected": "", "error": first_error(form)}
        return page(request, library, TEMPLATE, context, active="overdue", status=400)
    selected = form.cleaned_data["classe"]
    loans = list(overdue_loans(library=library, today=today, school_class=selected or None))
    for loan in loans:
        loan.days_late = (today - loan.due_on).days
    context = {
        "form": form, "classes": classes, "loans": loans, "selected": selected,
        "borrower_count": len({loan.borrower_id for loan in loans}), "error": "",
    }
    return page(request, library, TEMPLATE, context, active="overdue")


@librarian_required
@require_GET
def circulation_letters(request, library):
    """The reminder letters of a class (or of everyone) as one PDF to print."""
    today = clock.today()
    form = OverdueFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("library:circulation_overdue", uai=library.uai)
    selected = form.cleaned_data["classe"]
    loans = list(overdue_loans(library=library, today=today, school_class=selected or None))
    if not loans:
        messages.info(request, _("Aucun prêt en retard pour la classe %(class)s : aucune lettre à imprimer.")
                      % {"class": selected} if selected else
                      _("Aucun prêt en retard : aucune lettre à imprimer."))
        query = "?" + urlencode({"classe": selected}) if selected else ""
        return redirect(reverse("library:circulation_overdue", args=[library.uai]) + query)
    pdf = reminder_letters_pdf(library=library, loans=loans, today=today)
    who = slugify(selected) or "tous"
    return attachment(pdf, filename=f"lettres-de-relance-{library.uai}-{who}-{today:%Y-%m-%d}.pdf",
                      content_type="application/pdf")
