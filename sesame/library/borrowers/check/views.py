""""Vérifier avant la première mise à jour" (seed C): one page, four checks, one-click fixes.

GET shows the checks (``selectors``); each fix is a POST naming its ``action``, done by a service
of ``services`` in one transaction, then redirected back (so reloading never repeats it) with a message. A
refused fix renders the page again with the reason in an alert and status 400: nothing changed.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sesame.library.borrowers.check.forms import CommaFixForm, StatusRenameForm, StatusSetForm
from sesame.library.borrowers.check.selectors import check_summary, preferred_pupil_status
from sesame.library.borrowers.check.services import (
    borrower_names_fix_comma,
    borrower_status_set,
    status_rename,
)
from sesame.library.borrowers.errors import CheckRefused
from sesame.library.common.pages import first_error
from sesame.library.common.tenancy import librarian_required

# The part of the page each fix returns to, so keyboard and screen-reader users land where they were.
ANCHORS = {"rename": "statuts", "set_status": "statuts-vides", "fix_comma": "virgules"}


@librarian_required
def borrower_check(request, library):
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = _HANDLERS.get(action)
        if handler is None:
            return _page(request, library, error=_("Action inconnue : rien n'a été modifié."), status=400)
        try:
            message = handler(request, library)
        except CheckRefused as refusal:
            return _page(request, library, error=refusal.message, status=400)
        messages.success(request, message)
        return redirect(reverse("library:borrower_check", args=[library.uai]) + "#" + ANCHORS[action])
    return _page(request, library)


def _page(request, library, *, error: str = "", status: int = 200):
    summary = check_summary(library=library)
    context = {
        "library": library,
        "active": "check",
        "summary": summary,
        "pupil_status": preferred_pupil_status(summary.groups),
        "comma_numbers": " ".join(str(item.borrower.number) for item in summary.comma_names),
        "error": error,
    }
    return render(request, "library/check/check.html", context, status=status)


def _form_refusal(form) -> CheckRefused:
    """The first error of a form as a refusal: the page shows one reason, the one to fix first."""
    return CheckRefused(first_error(form), "invalid_input")


def _rename(request, library) -> str:
    form = StatusRenameForm(request.POST)
    if not form.is_valid():
        raise _form_refusal(form)
    old, new = form.cleaned_data["old"], form.cleaned_data["new"]
    count = status_rename(library=library, old=old, new=new, acting_user=request.user)
    return ngettext(
        "« %(old)s » remplacé par « %(new)s » pour %(count)d emprunteur.",
        "« %(old)s » remplacé par « %(new)s » pour %(count)d emprunteurs.",
        count,
    ) % {"old": old, "new": new, "count": count}


def _set_status(request, library) -> str:
    form = StatusSetForm(request.POST)
    if not form.is_valid():
        raise _form_refusal(form)
    borrower = borrower_status_set(library=library, number=form.cleaned_data["number"],
                                   status=form.cleaned_data["status"], acting_user=request.user)
    return _("Statut de %(name)s (n° %(number)s) : « %(status)s ».") % {
        "name": borrower.name, "number": borrower.number, "status": borrower.status,
    }


def _fix_comma(request, library) -> str:
    form = CommaFixForm(request.POST)
    if not form.is_valid():
        raise _form_refusal(form)
    fixed = borrower_names_fix_comma(library=library, numbers=form.cleaned_data["numbers"],
                                     acting_user=request.user)
    if len(fixed) == 1:
        return _("Nom corrigé : %(name)s (n° %(number)s).") % {"name": fixed[0].name,
                                                                "number": fixed[0].number}
    return ngettext("%(count)d nom corrigé.", "%(count)d noms corrigés.", len(fixed)) % {"count": len(fixed)}


_HANDLERS = {"rename": _rename, "set_status": _set_status, "fix_comma": _fix_comma}
