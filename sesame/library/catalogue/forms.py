"""Forms of the catalogue pages: search, a record, a copy, and the MARC file upload.

They check the shape of what was typed with the very rules of ``rules`` (ISBN key, plausible
year, barcode characters), so the page puts each message beside its field; the services check
again and decide what needs the database (a barcode or an ISBN already taken).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.library.catalogue.errors import CatalogueRefused
from sesame.library.catalogue.marc.read import MARC21, MAX_FILE_SIZE, UNIMARC
from sesame.library.catalogue.rules import MAX_LENGTHS, SUPPORTS, clean_barcode, clean_isbn, year_refusal
from sesame.library.common.text import collapse_spaces
from sesame.library.models import CopyStatus

SEARCH_FIELD_CHOICES = [
    ("all", _("Tous les champs")),
    ("title", _("Titre")),
    ("authors", _("Auteur")),
    ("isbn", _("ISBN")),
    ("subjects", _("Sujet")),
]
# A copy is *prêté* only through a loan: the forms never offer it.
EDITABLE_STATUSES = [(value, label) for value, label in CopyStatus.choices if value != CopyStatus.ON_LOAN]


class RecordSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True, label=_("Rechercher"))
    field = forms.ChoiceField(choices=SEARCH_FIELD_CHOICES, required=False, label=_("Dans"))

    def clean_field(self) -> str:
        return self.cleaned_data["field"] or "all"


def _too_long(limit: int) -> str:
    return _("%(limit)s caractères au plus.") % {"limit": limit}


class RecordForm(forms.Form):
    """A record as a librarian types it (SPEC §2: title, authors, publisher, year, ISBN, subjects,
    support, call number)."""

    title = forms.CharField(label=_("Titre"), max_length=MAX_LENGTHS["title"],
                            error_messages={"required": _("Le titre est obligatoire.")})
    authors = forms.CharField(label=_("Auteurs"), required=False, max_length=MAX_LENGTHS["authors"],
                              help_text=_("Nom, Prénom ; plusieurs auteurs séparés par un point-virgule."))
    publisher = forms.CharField(label=_("Éditeur"), required=False, max_length=MAX_LENGTHS["publisher"])
    year = forms.IntegerField(
        label=_("Année"), required=False, help_text=_("Année d'édition, sur quatre chiffres."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "autocomplete": "off"}),
        error_messages={"invalid": _("Saisissez l'année en chiffres, par exemple 2019.")},
    )
    isbn = forms.CharField(
        label=_("ISBN"), required=False, max_length=40,
        help_text=_("10 ou 13 chiffres, tirets et espaces permis ; la clé de contrôle est vérifiée et "
                    "l'ISBN est enregistré sur 13 chiffres."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    subjects = forms.CharField(label=_("Sujets"), required=False, max_length=MAX_LENGTHS["subjects"],
                               help_text=_("Séparés par un point-virgule."))
    support = forms.CharField(label=_("Support"), required=False, max_length=MAX_LENGTHS["support"],
                              widget=forms.TextInput(attrs={"list": "supports"}))
    call_number = forms.CharField(label=_("Cote"), required=False, max_length=MAX_LENGTHS["call_number"],
                                  help_text=_("Par exemple R PEN ou 551 VOL."))

    supports = SUPPORTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in MAX_LENGTHS:
                field.error_messages["max_length"] = _too_long(MAX_LENGTHS[name])
        self.fields["isbn"].error_messages["max_length"] = _("ISBN invalide : beaucoup trop long.")

    def clean_title(self) -> str:
        title = collapse_spaces(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("Le titre est obligatoire."), code="required")
        return title

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and (refusal := year_refusal(year)):
            raise forms.ValidationError(refusal, code="implausible_year")
        return year

    def clean_isbn(self) -> str:
        try:
            return clean_isbn(self.cleaned_data["isbn"])
        except CatalogueRefused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.code) from refusal


class CopyForm(forms.Form):
    barcode = forms.CharField(label=_("Code-barre"), max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                              error_messages={"required": _("Le code-barre est obligatoire.")})
    status = forms.ChoiceField(label=_("Statut"), choices=EDITABLE_STATUSES, initial=CopyStatus.AVAILABLE,
                               error_messages={"invalid_choice": _("Statut d'exemplaire inconnu.")})

    def clean_barcode(self) -> str:
        try:
            return clean_barcode(self.cleaned_data["barcode"])
        except CatalogueRefused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.code) from refusal


class CopyEditForm(CopyForm):
    """The same fields; the current status is offered even when it is *prêté*, so that a barcode
    can be corrected on a copy out on loan without touching its status."""

    def __init__(self, *args, current_status: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if current_status == CopyStatus.ON_LOAN:
            self.fields["status"].choices = CopyStatus.choices


class MarcImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de notices"),
        help_text=_("Fichier ISO 2709 (extension .iso, .mrc, .dat…) exporté de BCDI, PMB ou d'un autre "
                    "logiciel."),
        error_messages={"required": _("Choisissez le fichier de notices à importer."),
                        "empty": _("Le fichier est vide : aucune notice importée.")},
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("Reconnaître automatiquement")), (UNIMARC, "UNIMARC"), (MARC21, "MARC21")],
    )
    dry_run = forms.BooleanField(label=_("Simulation : analyser le fichier sans rien enregistrer"),
                                 required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Fichier trop volumineux (%(size)s Mo au plus) : aucune notice importée.")
                % {"size": MAX_FILE_SIZE // (1024 * 1024)}, code="too_big")
        return upload
