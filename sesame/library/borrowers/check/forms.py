"""Forms of "Vérifier avant la première mise à jour": they check input only, the services fix."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.library.common.text import collapse_spaces


class StatusRenameForm(forms.Form):
    """Give every borrower of one status spelling another spelling (seed C: "homogénéité")."""

    old = forms.CharField(max_length=60, strip=False, label=_("Remplacer le statut"),
                          error_messages={"required": _("Choisissez le statut à remplacer.")})
    new = forms.CharField(required=False, max_length=60, label=_("par"),
                          error_messages={"max_length": _("Un statut compte 60 caractères au plus.")})

    def clean_new(self) -> str:
        return collapse_spaces(self.cleaned_data["new"])


class StatusSetForm(forms.Form):
    """Fill in the empty *Statut* of one borrower (seed C: "les fiches dont le champ Statut est vide")."""

    number = forms.IntegerField(min_value=1, error_messages={
        "required": _("Emprunteur non indiqué."), "invalid": _("Numéro d'emprunteur incorrect."),
        "min_value": _("Numéro d'emprunteur incorrect.")})
    status = forms.CharField(required=False, max_length=60, label=_("Statut"),
                             error_messages={"max_length": _("Un statut compte 60 caractères au plus.")})

    def clean_status(self) -> str:
        return collapse_spaces(self.cleaned_data["status"])


class CommaFixForm(forms.Form):
    """"NOM, Prénom" becomes "NOM Prénom": one borrower, or every one the page listed."""

    numbers = forms.CharField(max_length=100_000, error_messages={"required": _("Emprunteur non indiqué.")})

    def clean_numbers(self) -> list[int]:
        parts = self.cleaned_data["numbers"].replace(",", " ").split()
        if not parts or not all(part.isdigit() and len(part) <= 9 for part in parts):
            raise forms.ValidationError(_("Numéro d'emprunteur incorrect."), code="invalid_number")
        return sorted({int(part) for part in parts})
