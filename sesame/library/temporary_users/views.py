"""Library pages for the temporary users (seed C7): their list, their loans, reassignment, deletion.

Drawn like the desk's pages (``circulation.views.pages``); reads go through the selectors, every
change through ``services.py``.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.forms import BorrowerLookupForm, ConfirmForm
from sesame.library.circulation.selectors import (
    borrower_by_number,
    borrowers_matching,
    open_loans_of,
    returned_loan_count,
)
from sesame.library.circulation.views.pages import no_borrower, not_found, page
from sesame.library.common.pages import first_error, see_other
from sesame.library.common.tenancy import librarian_required
from sesame.library.common.text import collapse_spaces
from sesame.library.temporary_users.forms import ReassignForm
from sesame.library.temporary_users.selectors import (
    loans_reassign_candidates,
    temporary_user_by_number,
    temporary_users,
)
from sesame.library.temporary_users.services import borrower_delete, loans_reassign

ACTIVE = "temporary_users"
TEMPLATES = "library/temporary_users/"


@librarian_required
@require_GET
def temporary_user_list(request, library):
    rows = list(temporary_users(library=library))
    context = {"rows": rows, "expression": "Type d'emprunteur=Usager temporaire"}
    return page(request, library, TEMPLATES + "temporary_users.html", context, active=ACTIVE)


def _temporary_user(request, library, number: int):
    """The temporary user with this number and ``open_loans``, or the 404 page to return."""
    borrower = temporary_user_by_number(library=library, number=number)
    if borrower is not None:
        return borrower, None
    other = borrower_by_number(library=library, number=number)
    reason = (_("%(name)s (n° %(number)s) n'est pas un usager temporaire.") % {"name": other.name,
                                                                               "number": number}
              if other is not None else no_borrower(number))
    return None, not_found(request, library, reason, active=ACTIVE, borrower=other)


def _temporary_user_page(request, library, borrower, *, error: str = "", status: int = 200):
    context = {"borrower": borrower, "error": error, "returned_count": returned_loan_count(borrower)}
    return page(request, library, TEMPLATES + "temporary_user.html", context, active=ACTIVE, status=status)


@librarian_required
@require_GET
def temporary_user_detail(request, library, number: int):
    borrower, missing = _temporary_user(request, library, number)
    if missing:
        return missing
    return _temporary_user_page(request, library, borrower)


@librarian_required
@require_GET
def temporary_user_loans(request, library, number: int):
    """"Liste des prêts": the books the temporary user still has, each with "Déclarer perdu"."""
    borrower, missing = _temporary_user(request, library, number)
    if missing:
        return missing
    context = {"borrower": borrower, "loans": open_loans_of(borrower)}
    return page(request, library, TEMPLATES + "temporary_user_loans.html", context, active=ACTIVE)


@librarian_required
@require_POST
def temporary_user_delete(request, library, number: int):
    """"Supprimer la fiche": asks first, then lets ``borrower_delete`` decide (refused while loans
    remain, seed C7)."""
    borrower, missing = _temporary_user(request, library, number)
    if missing:
        return missing
    form = ConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        return page(request, library, TEMPLATES + "delete_confirm.html", {"borrower": borrower},
                    active=ACTIVE)
    try:
        anonymised = borrower_delete(library=library, borrower=borrower, acting_user=request.user)
    except CirculationRefused as refusal:
        return _temporary_user_page(request, library, borrower, error=refusal.message, status=400)
    text = _("Fiche de %(name)s (n° %(number)s) supprimée.") % {"name": borrower.name, "number": number}
    if anonymised:
        text += " " + ngettext("%(count)s prêt rendu est conservé sans son nom.",
                               "%(count)s prêts rendus sont conservés sans son nom.",
                               anonymised) % {"count": anonymised}
    messages.success(request, text)
    return see_other("library:temporary_users", uai=library.uai)


def _reassign_page(request, library, borrower, *, search: str, chosen: int | None = None, error: str = "",
                   status: int = 200):
    candidates = loans_reassign_candidates(library=library, borrower=borrower)
    same_name = [row for row in candidates if row.same_name]
    found = borrowers_matching(library=library, text=search, rows=candidates) if search else []
    options = same_name + [row for row in found if not row.same_name]
    if chosen is None and same_name:
        chosen = same_name[0].number  # seed C7: "sa fiche sera sélectionnée par défaut"
    context = {
        "borrower": borrower, "options": options, "same_name": same_name, "chosen": chosen,
        "search": search, "searched": bool(search), "error": error,
        "search_form": BorrowerLookupForm(initial={"q": search}),
    }
    return page(request, library, TEMPLATES + "reassign.html", context, active=ACTIVE, status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def temporary_user_reassign(request, library, number: int):
    """"Réattribuer les prêts" (seed C7): the same-name borrower is preselected, another one is
    found by a search, and different names ask for confirmation before anything moves."""
    borrower, missing = _temporary_user(request, library, number)
    if missing:
        return missing
    if request.method == "GET":
        lookup = BorrowerLookupForm(request.GET)
        search = lookup.cleaned_data["q"] if lookup.is_valid() else ""
        return _reassign_page(request, library, borrower, search=search)
    form = ReassignForm(request.POST)
    search = collapse_spaces(request.POST.get("q", ""))[:200]
    if not form.is_valid():
        return _reassign_page(request, library, borrower, search=search, error=first_error(form), status=400)
    target_number = form.cleaned_data["borrower"]
    target = borrower_by_number(library=library, number=target_number)
    if target is None:
        return _reassign_page(request, library, borrower, search=search, error=no_borrower(target_number),
                              status=400)
    try:
        moved = loans_reassign(library=library, from_borrower=borrower, to_borrower=target,
                               confirm_different_name=form.cleaned_data["confirm_different_name"],
                               acting_user=request.user)
    except CirculationRefused as refusal:
        if refusal.code == "confirm_names":
            context = {"borrower": borrower, "target": target, "search": search}
            return page(request, library, TEMPLATES + "reassign_confirm.html", context, active=ACTIVE)
        return _reassign_page(request, library, borrower, search=search, chosen=target_number,
                              error=refusal.message, status=400)
    messages.success(request, ngettext("%(count)s prêt réattribué à %(name)s (n° %(number)s).",
                                       "%(count)s prêts réattribués à %(name)s (n° %(number)s).", moved)
                     % {"count": moved, "name": target.name, "number": target.number})
    return see_other("library:temporary_user", uai=library.uai, number=borrower.number)
