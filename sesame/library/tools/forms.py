"""Forms of the tools pages. They check input only: ``backup.py`` and ``anonymize.py`` do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.library.tools.backup import MAX_BACKUP_BYTES


class RestoreForm(forms.Form):
    """"Restaurer": the file and a ticked confirmation, since every current row is replaced."""

    backup_file = forms.FileField(
        label=_("Fichier de sauvegarde"),
        error_messages={"required": _("Choisissez le fichier de sauvegarde à restaurer.")},
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que la base actuelle sera remplacée"),
        error_messages={"required": _("Cochez « Je comprends que la base actuelle sera remplacée » pour "
                                      "restaurer la sauvegarde.")},
    )

    def clean_backup_file(self):
        upload = self.cleaned_data["backup_file"]
        if upload.size > MAX_BACKUP_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse 512 Mo : ce n'est pas une sauvegarde de bibliothèque."),
                code="too_large")
        return upload


class AnonymizeForm(forms.Form):
    """"Rendre les prêts anonymes": which returned loans, then the count the librarian confirms."""

    ACTION_PREVIEW = "preview"
    ACTION_CONFIRM = "confirm"

    before = forms.DateField(
        required=False, label=_("Prêts rendus avant le"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "aria-describedby": "before-help"}),
        error_messages={"invalid": _("Date incorrecte : écrivez-la jj/mm/aaaa (par exemple 01/05/2025).")},
    )
    expression = forms.CharField(
        required=False, max_length=1000, strip=True, label=_("Emprunteurs (équation de recherche)"),
        widget=forms.TextInput(attrs={"aria-describedby": "expression-help"}),
    )
    action = forms.ChoiceField(choices=[(ACTION_PREVIEW, ACTION_PREVIEW), (ACTION_CONFIRM, ACTION_CONFIRM)])
    expected = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.ACTION_CONFIRM and cleaned.get("expected") is None:
            raise forms.ValidationError(_("Comptez d'abord les prêts concernés, puis confirmez."),
                                        code="no_preview")
        return cleaned
