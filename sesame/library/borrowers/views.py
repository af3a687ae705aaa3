"""Gestion des emprunteurs: the "recherche gestionnaire" and a borrower's record (SPEC §2, seed C).

The search evaluates the BCDI expression in Python over the library's borrowers: a school has a
few thousand at most, loaded in one query with their open-loan count, and the expression module
is the same one the update uses to select its lot, so what the librarian sees here is exactly
the lot the update will take.
"""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sesame.library.borrowers.expressions import ExpressionError, borrower_values, parse_expression
from sesame.library.borrowers.forms import BorrowerEditForm, BorrowerSearchForm
from sesame.library.circulation.services import CirculationRefused
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import Borrower, BorrowerType, Library, Loan
from sesame.library.temporary_users.services import TEMPORARY_TYPE_MESSAGE, borrower_type_change

PAGE_SIZE = 100
EXAMPLES = ("Statut=Elève", "Type d'emprunteur=Usager temporaire", "Classe=3* ET Statut=Elève")


class BorrowerEditRefused(Exception):
    """An edit the rules forbid; ``message`` is in French. Nothing was changed."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def borrowers_with_open_loans(*, library: Library):
    """Every borrower of the library with ``open_loans``, in one query."""
    return (
        Borrower.objects.filter(library=library)
        .annotate(open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)))
        .order_by("name", "number")
    )


@transaction.atomic
def borrower_edit(
    *, library: Library, number: int, name: str, status: str, school_class: str,
    birth_date: date | None, email: str, borrower_type: str | None = None,
) -> Borrower:
    """Save what the librarian typed on a borrower's record.

    ``borrower_type`` None leaves the type alone. The type of an *usager temporaire* never changes
    here (seed C7: "Il est impossible de modifier le champ « Type emprunteur » d'un usager
    temporaire"); it stops being one only when its loans are returned or handed over.
    """
    borrower = Borrower.objects.select_for_update().filter(library=library, number=number).first()
    if borrower is None:  # deleted meanwhile (by an update, say)
        raise BorrowerEditRefused(
            _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number},
            code="unknown_borrower",
        )
    if borrower_type is not None:
        # The circulation rule owns the type (seed C7); its refusal undoes this whole edit.
        try:
            borrower = borrower_type_change(borrower=borrower, borrower_type=borrower_type)
        except CirculationRefused as refusal:
            raise BorrowerEditRefused(refusal.message, code=refusal.code) from refusal
    borrower.name, borrower.status, borrower.school_class = name, status, school_class
    borrower.birth_date, borrower.email = birth_date, email
    borrower.save(update_fields=["name", "status", "school_class", "birth_date", "email", "updated_at"])
    return borrower


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
        borrowers = list(borrowers_with_open_loans(library=library))
        if expression is not None:
            borrowers = [b for b in borrowers if expression.matches(borrower_values(b))]
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
    borrower = borrowers_with_open_loans(library=library).filter(number=number).first()
    if borrower is None:
        reason = _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number}
        context = {"library": library, "active": "borrowers", "reason": reason}
        return render(request, "library/borrowers/not_found.html", context, status=404)
    # The form gets its own copy: validation writes into its instance, and a refused edit must
    # not show the refused values as if they were the record's.
    form_instance = Borrower.objects.get(pk=borrower.pk)
    status = 200
    error = ""
    if request.method == "POST":
        form = BorrowerEditForm(request.POST, instance=form_instance)
        posted_type = request.POST.get("borrower_type")
        if borrower.is_temporary and posted_type not in (None, BorrowerType.TEMPORARY):
            error = TEMPORARY_TYPE_MESSAGE
        elif form.is_valid():
            if not form.has_changed():
                messages.info(request, _("Aucune modification."))
                return redirect("library:borrower_detail", uai=library.uai, number=number)
            data = form.cleaned_data
            try:
                saved = borrower_edit(
                    library=library, number=number, name=data["name"], status=data["status"],
                    school_class=data["school_class"], birth_date=data["birth_date"], email=data["email"],
                    borrower_type=data.get("borrower_type"),
                )
            except BorrowerEditRefused as refusal:
                error = refusal.message
            else:
                messages.success(request, _("Fiche de %(name)s enregistrée.") % {"name": saved.name})
                return redirect("library:borrower_detail", uai=library.uai, number=number)
        else:
            error = _("La fiche n'a pas été enregistrée : corrigez les champs signalés.")
        status = 400
    else:
        form = BorrowerEditForm(instance=form_instance)
    open_loans = (
        Loan.objects.filter(borrower=borrower, returned_on__isnull=True)
        .select_related("copy__record").order_by("due_on", "pk")
    )
    context = {
        "library": library,
        "active": "borrowers",
        "borrower": borrower,
        "form": form,
        "error": error,
        "open_loans": open_loans,
        "returned_count": Loan.objects.filter(borrower=borrower, returned_on__isnull=False).count(),
        "today": timezone.localdate(),
    }
    return render(request, "library/borrowers/detail.html", context, status=status)
