"""Forms of the temporary users' pages (seed C7); the search and the confirmation are the desk's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.library.circulation.forms import BorrowerChoiceForm


class ReassignForm(BorrowerChoiceForm):
    """"Réattribuer les prêts": the borrower who receives them, and the confirmation when the
    names differ (seed C7: "Si les noms sont différents, une confirmation est demandée")."""

    confirm_different_name = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].error_messages["required"] = _(
            "Choisissez l'emprunteur qui recevra les prêts.")
