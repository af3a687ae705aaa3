"""Forms of the circulation pages: the desk, overdue loans, reservations (and, shared with the
temporary users' pages, the borrower search, the borrower choice and the confirmation).

They check the shape of what was typed or scanned only; every rule (who may borrow, what may be
reserved, when a record may be deleted) belongs to the services, which refuse with their own
translated message and change nothing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.library.common.text import collapse_spaces


class BarcodeForm(forms.Form):
    """One barcode, as a scanner types it: the characters then Enter.

    Scanners sometimes add spaces or a tab around the code; they are stripped, and inner spaces
    are kept so that a wrongly typed code is reported as the librarian typed it.
    """

    barcode = forms.CharField(
        label=_("Code-barre"), max_length=40, strip=True,
        error_messages={
            "required": _("Scannez ou tapez le code-barre de l'exemplaire."),
            "max_length": _("Un code-barre compte 40 caractères au plus."),
        },
    )


class BorrowerLookupForm(forms.Form):
    """Find a borrower by name (any words of it, accents and case ignored) or by number."""

    q = forms.CharField(
        label=_("Emprunteur (nom ou numéro)"), max_length=200, required=False, strip=True,
        error_messages={"max_length": _("Tapez 200 caractères au plus.")},
    )

    def clean_q(self) -> str:
        return collapse_spaces(self.cleaned_data["q"])


class RecordLookupForm(forms.Form):
    """Find a record by words of its title, or by the barcode of one of its copies."""

    q = forms.CharField(
        label=_("Titre ou code-barre d'un exemplaire"), max_length=200, required=False, strip=True,
        error_messages={"max_length": _("Tapez 200 caractères au plus.")},
    )

    def clean_q(self) -> str:
        return collapse_spaces(self.cleaned_data["q"])


class OverdueFilterForm(forms.Form):
    """The class whose overdue loans are shown (and whose letters are printed); empty: everyone."""

    classe = forms.CharField(
        label=_("Classe"), max_length=40, required=False, strip=True,
        error_messages={"max_length": _("Une classe compte 40 caractères au plus.")},
    )


class BorrowerChoiceForm(forms.Form):
    """A borrower picked from a list, by number (reassignment target, reservation for)."""

    borrower = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choisissez un emprunteur."),
            "invalid": _("Numéro d'emprunteur incorrect."),
            "min_value": _("Numéro d'emprunteur incorrect."),
        },
    )


class ConfirmForm(forms.Form):
    """The second click of an action that asks first (delete a record, close a loan as lost)."""

    confirm = forms.BooleanField(required=False)


class IdForm(forms.Form):
    """The row a button acts on (a loan to renew, a reservation to cancel, a notice to mark)."""

    id = forms.IntegerField(min_value=1, error_messages={
        "required": _("Élément non indiqué."), "invalid": _("Élément incorrect."),
        "min_value": _("Élément incorrect."),
    })
