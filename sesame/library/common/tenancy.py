"""The one gate to a library: which library a UAI names, and who may manage it.

Every library view receives the ``Library`` resolved here and passes it on explicitly; a
librarian of one establishment gets a refusal for another's pages, never its data. Commands find
their library through ``library_for_uai`` too, so a UAI typed in lower case or with spaces names
the same library everywhere.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from sesame.interop.uai import normalize_uai
from sesame.library.models import Librarian, Library


def library_for_uai(uai: str) -> Library | None:
    """The library of this establishment code (as people type it), or None."""
    return Library.objects.filter(uai=normalize_uai(uai)).first()


def libraries_of(user) -> list[Library]:
    if not user.is_authenticated:
        return []
    return list(Library.objects.filter(librarians__user=user).order_by("uai"))


def librarian_required(view):
    """Resolve ``uai`` from the URL and require the user to manage that library."""

    @wraps(view)
    @login_required(login_url="library:login")
    def wrapper(request, uai: str, *args, **kwargs):
        library = library_for_uai(uai)
        allowed = (
            library is not None
            and Librarian.objects.filter(library=library, user=request.user).exists()
        )
        if not allowed:
            reason = _("Cette bibliothèque n'existe pas ou vous n'en êtes pas gestionnaire.")
            return render(request, "library/forbidden.html", {"reason": reason}, status=403)
        request.library = library
        return view(request, library, *args, **kwargs)

    return wrapper
