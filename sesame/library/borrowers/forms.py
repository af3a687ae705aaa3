"""Forms of the borrower pages: the search and the borrower's record.

They check input only (shape, lengths, dates); the changes themselves are made by
``services.borrower_edit``, in one transaction. The check page's forms are in ``check/forms.py``.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.core import clock
from sesame.library.common.text import collapse_spaces
from sesame.library.models import Borrower, BorrowerType

DATE_FORMAT = "%d/%m/%Y"  # as BCDI and the users file write dates, and as a French reader types them


class BorrowerSearchForm(forms.Form):
    """"Recherche gestionnaire": one expression; left empty, every borrower is listed."""

    # No length limit here: ``parse_expression`` refuses a too long line with its own message.
    q = forms.CharField(required=False, strip=True, label=_("Équation de recherche"))


class BorrowerEditForm(forms.ModelForm):
    """The fields a librarian corrects by hand on a borrower's record (SPEC §2 "Borrowers").

    The number and the ENT identity are never typed: the number is the record's key for BCDI
    users, and the identity is what the update stores so that the next one is unambiguous. The
    type of an *usager temporaire* cannot be changed (seed C7), so the field is left out for them.
    """

    birth_date = forms.DateField(
        required=False, label=_("Date de naissance"), input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "jj/mm/aaaa"}),
        help_text=_("Au format jj/mm/aaaa."),
        error_messages={"invalid": _("Saisissez une date au format jj/mm/aaaa, par exemple 14/03/2013.")},
    )
    email = forms.EmailField(
        required=False, max_length=254, label=_("Courriel"),
        error_messages={"invalid": _("Saisissez une adresse électronique valide, par exemple "
                                     "prenom.nom@exemple.fr.")},
    )

    class Meta:
        model = Borrower
        fields = ["name", "status", "school_class", "birth_date", "email", "borrower_type"]
        labels = {
            "name": _("Emprunteur"),
            "status": _("Statut"),
            "school_class": _("Classe"),
            "borrower_type": _("Type d'emprunteur"),
        }
        help_texts = {
            "name": _("NOM Prénom, sans virgule."),
            "borrower_type": _("Un usager temporaire ne peut ni emprunter ni réserver, et son type ne "
                               "pourra plus être modifié."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Le nom de l'emprunteur est obligatoire.")
        # The type of a temporary user is not offered; one posted anyway is handed to the service,
        # which owns the rule and refuses it (seed C7), rather than being silently dropped here.
        self.temporary = self.instance.is_temporary
        self.posted_type = None
        if self.temporary:
            del self.fields["borrower_type"]
            if self.is_bound:
                self.posted_type = self.data.get("borrower_type")

    @property
    def asked_type(self) -> str | None:
        """The type to give the borrower: the field's, or what was posted for a temporary user."""
        if self.temporary:
            return self.posted_type
        return self.cleaned_data.get("borrower_type")

    def has_changed(self) -> bool:
        posted_another_type = self.posted_type not in (None, BorrowerType.TEMPORARY)
        return super().has_changed() or (self.temporary and posted_another_type)

    def clean_name(self) -> str:
        name = collapse_spaces(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Le nom de l'emprunteur est obligatoire."), code="required")
        return name

    def clean_status(self) -> str:
        return collapse_spaces(self.cleaned_data["status"])

    def clean_school_class(self) -> str:
        return collapse_spaces(self.cleaned_data["school_class"])

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data["birth_date"]
        if value and not (date(1900, 1, 1) <= value <= clock.today()):
            raise forms.ValidationError(
                _("La date de naissance doit être comprise entre 01/01/1900 et aujourd'hui."),
                code="implausible_date",
            )
        return value

    def clean_borrower_type(self) -> str:
        value = self.cleaned_data["borrower_type"]
        if value not in BorrowerType.values:
            raise forms.ValidationError(_("Type d'emprunteur inconnu."), code="invalid_type")
        return value
