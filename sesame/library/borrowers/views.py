"""Gestion des emprunteurs: the "recherche gestionnaire" and a borrower's record (SPEC §2, seed C).

The views only orchestrate: the reads are in ``selectors``, the edit and its rules (a temporary
user's type among them) in ``services``, which refuse with a translated message and change nothing.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.borrowers.errors import BorrowerRefused
from sesame.library.borrowers.expressions import ExpressionError, parse_expression
from sesame.library.borrowers.forms import BorrowerEditForm, BorrowerSearchForm
from sesame.library.borrowers.selectors import (
    borrower_by_number,
    borrower_open_loans,
    borrower_returned_count,
    borrower_with_open_loans,
    borrowers_selected,
)
from sesame.library.borrowers.services import borrower_edit
from sesame.library.common.tenancy import librarian_required

PAGE_SIZE = 100
EXAMPLES = ("Statut=Elève", "Type d'emprunteur=Usager temporaire", "Classe=3* ET Statut=Elève")


@librarian_required
def borrower_search(request, library):
    form = BorrowerSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    error = None
    borrowers = []
    try:
        expression = parse_expression(text) if text else None
    except ExpressionError as refusal:
        error = refusal
    else:
        borrowers = borrowers_selected(library=library, expression=expression)
    page = Paginator(borrowers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "library": library,
        "active": "borrowers",
        "form": form,
        "text": text,
        "error": error,
        # The text up to the faulty character, so the page can point at it under the field.
        "error_marker": " " * min(error.position, len(text)) + "^" if error else "",
        "page": page,
        "count": len(borrowers),
        "examples": EXAMPLES,
        "query_prefix": urlencode({"q": text}) + "&" if text else "",
    }
    return render(request, "library/borrowers/search.html", context, status=400 if error else 200)


@librarian_required
def borrower_detail(request, library, number: int):
    borrower = borrower_with_open_loans(library=library, number=number)
    if borrower is None:
        reason = _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number}
        context = {"library": library, "active": "borrowers", "reason": reason}
        return render(request, "library/borrowers/not_found.html", context, status=404)
    # The form gets its own copy: validation writes into its instance, and a refused edit must
    # not show the refused values as if they were the record's.
    form_instance = borrower_by_number(library=library, number=number)
    if request.method != "POST":
        return _detail_page(request, library, borrower, BorrowerEditForm(instance=form_instance))
    form = BorrowerEditForm(request.POST, instance=form_instance)
    if not form.is_valid():
        error = _("La fiche n'a pas été enregistrée : corrigez les champs signalés.")
        return _detail_page(request, library, borrower, form, error=error)
    if not form.has_changed():
        messages.info(request, _("Aucune modification."))
        return redirect("library:borrower_detail", uai=library.uai, number=number)
    data = form.cleaned_data
    try:
        saved = borrower_edit(
            library=library, number=number, name=data["name"], status=data["status"],
            school_class=data["school_class"], birth_date=data["birth_date"], email=data["email"],
            borrower_type=form.asked_type, acting_user=request.user,
        )
    except BorrowerRefused as refusal:
        return _detail_page(request, library, borrower, form, error=refusal.message)
    messages.success(request, _("Fiche de %(name)s enregistrée.") % {"name": saved.name})
    return redirect("library:borrower_detail", uai=library.uai, number=number)


def _detail_page(request, library, borrower, form, *, error: str = ""):
    context = {
        "library": library,
        "active": "borrowers",
        "borrower": borrower,
        "form": form,
        "error": error,
        "open_loans": borrower_open_loans(borrower=borrower),
        "returned_count": borrower_returned_count(borrower=borrower),
        "today": clock.today(),
    }
    return render(request, "library/borrowers/detail.html", context, status=400 if error else 200)
