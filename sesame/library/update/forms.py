"""Forms of the borrower update pages (seed C). They check input only; the services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.sync import SuggestionKey

# The reader refuses anything larger (``fiches_xml.Limits.max_bytes``); refusing here too spares
# reading a huge upload only to reject it.
MAX_FILE_BYTES = 64 * 1024 * 1024


class UpdateStartForm(forms.Form):
    """"Avertissements préalables": both options are ticked by default and both can be declined."""

    backup = forms.BooleanField(required=False, initial=True,
                                label=_("Sauvegarder la base avant la mise à jour"))
    anonymize = forms.BooleanField(required=False, initial=True, label=_("Rendre les prêts anonymes"))


class UpdateFileForm(forms.Form):
    """"Fichier d'importation" and "Emprunteurs à mettre à jour".

    The file is required for "Analyse" only: "Compter" just counts the lot the expression selects,
    so it must work before a file is chosen.
    """

    ACTION_COUNT = "count"
    ACTION_ANALYSE = "analyse"

    users_file = forms.FileField(required=False, label=_("Fichier d'importation"))
    lot_expression = forms.CharField(required=False, max_length=500, strip=True,
                                     label=_("Emprunteurs à mettre à jour"))
    action = forms.ChoiceField(required=False, choices=[(ACTION_COUNT, ACTION_COUNT),
                                                        (ACTION_ANALYSE, ACTION_ANALYSE)])

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or self.ACTION_ANALYSE

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("users_file")
        if cleaned.get("action") == self.ACTION_ANALYSE:
            if not upload:
                self.add_error("users_file", forms.ValidationError(
                    _("Choisissez le fichier d'importation : l'export XML des utilisateurs de l'ENT."),
                    code="no_file"))
            elif upload.size > MAX_FILE_BYTES:
                self.add_error("users_file", forms.ValidationError(
                    _("Ce fichier dépasse 64 Mo : ce n'est pas un export d'utilisateurs d'un établissement. "
                      "Vérifiez que vous avez choisi le bon fichier."), code="file_too_large"))
        return cleaned


class ResolutionForm(forms.Form):
    """"Interface de résolution de doublons": for each person, a borrower of the conflict or a new record.

    ``conflicts`` is a list of ``(ent_identities, borrower_ids)``; a field ``resolution-<identity>``
    holds a borrower id or ``new``. Unanswered persons are left out: they stay pending.
    """

    NEW = "new"

    def __init__(self, *args, conflicts, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = conflicts
        for identities, borrower_ids in conflicts:
            choices = [(str(borrower_id), str(borrower_id)) for borrower_id in borrower_ids]
            choices.append((self.NEW, self.NEW))
            for identity in identities:
                self.fields[self.field_name(identity)] = forms.ChoiceField(
                    required=False, choices=choices,
                    error_messages={
                        "invalid_choice": _("Ce choix ne fait pas partie des homonymes proposés."),
                    },
                )

    @staticmethod
    def field_name(identity: str) -> str:
        return f"resolution-{identity}"

    def clean(self):
        cleaned = super().clean()
        resolutions: dict[str, int | None] = {}
        for identities, _borrower_ids in self.conflicts:
            for identity in identities:
                value = cleaned.get(self.field_name(identity))
                if value:
                    resolutions[identity] = None if value == self.NEW else int(value)
        chosen = [borrower for borrower in resolutions.values() if borrower is not None]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(
                _("Un même emprunteur ne peut être associé qu'à une seule personne du fichier. "
                  "Pour l'autre personne, choisissez un autre emprunteur ou « Créer une nouvelle fiche »."),
                code="same_borrower")
        if not resolutions:
            raise forms.ValidationError(
                _("Choisissez, pour au moins une personne, l'emprunteur à associer ou « Créer une nouvelle "
                  "fiche »."), code="nothing_chosen")
        cleaned["resolutions"] = resolutions
        return cleaned


class SuggestionForm(forms.Form):
    """"Accepter" / "Refuser" one suggestion (or go back on a decision with "pending").

    ``suggestion`` is the pair as the page wrote it (``SuggestionKey.key()``); cleaned, it is the
    ``SuggestionKey`` itself.
    """

    suggestion = forms.CharField(max_length=300)
    decision = forms.ChoiceField(choices=[("accepted", "accepted"), ("rejected", "rejected"),
                                          ("pending", "pending")])

    def clean_suggestion(self) -> SuggestionKey:
        try:
            return SuggestionKey.parse(self.cleaned_data["suggestion"])
        except ValueError as error:
            raise forms.ValidationError(_("Suggestion inconnue."), code="invalid") from error


class GuardForm(forms.Form):
    """"Je confirme" for each guard that stopped the file."""

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guard"] = forms.MultipleChoiceField(
            required=False, choices=[(code, code) for code in codes])


class UndoForm(forms.Form):
    """"Annuler la dernière mise à jour" asks for a ticked confirmation: it deletes borrowers created."""

    confirm = forms.BooleanField(
        required=True, label=_("Je confirme vouloir annuler la dernière mise à jour"),
        error_messages={
            "required": _("Cochez la case de confirmation pour annuler la dernière mise à jour."),
        },
    )
