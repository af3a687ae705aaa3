"""Library pages: sign-in, the choice of library, the dashboard (menu of BCDI's functions)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from sesame.library.common.selectors import library_summary
from sesame.library.common.tenancy import librarian_required, libraries_of


class LibraryLoginView(auth_views.LoginView):
    template_name = "library/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return self.get_redirect_url() or "/bibliotheque/"


class LibraryLogoutView(auth_views.LogoutView):
    next_page = "library:login"


@login_required(login_url="library:login")
def index(request):
    """One library: go straight to it; several: choose; none: say so."""
    libraries = libraries_of(request.user)
    if len(libraries) == 1:
        return redirect("library:dashboard", uai=libraries[0].uai)
    return render(request, "library/index.html", {"libraries": libraries})


@librarian_required
def dashboard(request, library):
    """The library's counts at a glance, and the way to the update from the ENT file."""
    summary = library_summary(library)
    context = {
        "library": library,
        "borrower_count": summary.borrowers,
        "temporary_count": summary.temporary_users,
        "open_loan_count": summary.open_loans,
        "last_run": summary.last_update,
    }
    return render(request, "library/dashboard.html", context)
