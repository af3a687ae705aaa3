"""The library (CDI) of one establishment: borrowers, catalogue, copies, loans (SPEC §2).

Every row belongs to one ``Library``, identified by the establishment's UAI; the library never
reads the ENT's tables, it learns about people only through the users file. ``Loan.borrower`` is
``PROTECT``: the database itself refuses to delete a borrower who still has a loan row, so no
code path can lose a loan by deleting its borrower.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sesame.core.validators import validate_uai
from sesame.interop.uai import normalize_uai


class Library(models.Model):
    """One establishment's library base (one BCDI base)."""

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("bibliothèque")
        verbose_name_plural = _("bibliothèques")
        ordering = ["uai"]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"

    def save(self, *args, **kwargs):
        self.uai = normalize_uai(self.uai)
        super().save(*args, **kwargs)


class Librarian(models.Model):
    """Who may manage a library (the "mot de passe de gestion" of BCDI)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="librarians")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="librarian_of")

    class Meta:
        verbose_name = _("gestionnaire")
        verbose_name_plural = _("gestionnaires")
        constraints = [models.UniqueConstraint(fields=["library", "user"], name="library_librarian_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.library}"


class BorrowerType(models.TextChoices):
    REGULAR = "Usager", _("Usager")
    TEMPORARY = "Usager temporaire", _("Usager temporaire")


class Borrower(models.Model):
    """An *emprunteur*: "NOM Prénom" in one string, as BCDI keeps it."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="borrowers")
    number = models.PositiveIntegerField(_("N° emprunteur"))
    name = models.CharField(_("emprunteur"), max_length=200)
    status = models.CharField(_("statut"), max_length=60, blank=True, default="")
    school_class = models.CharField(_("classe"), max_length=40, blank=True, default="")
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.CharField(_("courriel"), max_length=254, blank=True, default="")
    borrower_type = models.CharField(
        _("type d'emprunteur"), max_length=20, choices=BorrowerType.choices, default=BorrowerType.REGULAR
    )
    # The hidden "Identité ENT": stored by the update, it makes the next update unambiguous.
    ent_identity = models.CharField(_("identité ENT"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("emprunteur")
        verbose_name_plural = _("emprunteurs")
        ordering = ["name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="library_borrower_unique_number"),
            models.UniqueConstraint(
                fields=["library", "ent_identity"], condition=~Q(ent_identity=""),
                name="library_borrower_unique_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (n° {self.number})"

    @property
    def is_temporary(self) -> bool:
        return self.borrower_type == BorrowerType.TEMPORARY


class Record(models.Model):
    """A catalogue record (*notice*)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="records")
    title = models.CharField(_("titre"), max_length=500)
    authors = models.CharField(_("auteurs"), max_length=500, blank=True, default="")
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True, default="")
    subjects = models.CharField(_("sujets"), max_length=500, blank=True, default="")
    support = models.CharField(_("support"), max_length=60, blank=True, default="")
    call_number = models.CharField(_("cote"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CopyStatus(models.TextChoices):
    AVAILABLE = "disponible", _("disponible")
    ON_LOAN = "prêté", _("prêté")
    LOST = "perdu", _("perdu")
    IN_REPAIR = "en réparation", _("en réparation")
    EXCLUDED = "exclu du prêt", _("exclu du prêt")


class Copy(models.Model):
    """A copy (*exemplaire*) of a record, with its barcode."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="copies")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="copies")
    barcode = models.CharField(_("code-barre"), max_length=40)
    status = models.CharField(_("statut"), max_length=20, choices=CopyStatus.choices,
                              default=CopyStatus.AVAILABLE)

    class Meta:
        verbose_name = _("exemplaire")
        verbose_name_plural = _("exemplaires")
        ordering = ["barcode"]
        constraints = [
            models.UniqueConstraint(fields=["library", "barcode"], name="library_copy_unique_barcode"),
        ]

    def __str__(self) -> str:
        return self.barcode


class Loan(models.Model):
    """A loan, open (``returned_at`` empty) or returned.

    An anonymous loan has no borrower but keeps what statistics need (date, copy, the borrower's
    status and class at the time), never the person.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="loans")
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="loans")
    borrower_status = models.CharField(_("statut de l'emprunteur"), max_length=60, blank=True, default="")
    borrower_class = models.CharField(_("classe de l'emprunteur"), max_length=40, blank=True, default="")
    loaned_on = models.DateField(_("date du prêt"))
    due_on = models.DateField(_("retour prévu"))
    returned_on = models.DateField(_("rendu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        ordering = ["-loaned_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["copy"], condition=Q(returned_on__isnull=True),
                                    name="library_loan_one_open_per_copy"),
            models.CheckConstraint(condition=Q(returned_on__isnull=False) | Q(borrower__isnull=False),
                                   name="library_open_loan_has_borrower"),
        ]
        indexes = [models.Index(fields=["library", "borrower", "returned_on"])]

    def __str__(self) -> str:
        return f"{self.copy} → {self.borrower or _('anonyme')}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


class UpdateRun(models.Model):
    """One borrower update from the ENT file: its analysis, the librarian's decisions, what it did.

    The file itself is kept so the analysis can be recomputed after each decision; ``journal``
    holds the before-image of everything the import changed, which is what "Annuler la dernière
    mise à jour" restores.
    """

    class State(models.TextChoices):
        ANALYSED = "analysed", _("analysée")
        APPLIED = "applied", _("importée")
        UNDONE = "undone", _("annulée")
        ABANDONED = "abandoned", _("abandonnée")

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="update_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ANALYSED)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_content = models.BinaryField()
    lot_expression = models.CharField(max_length=500, blank=True, default="")
    options = models.JSONField(default=dict)
    resolutions = models.JSONField(default=dict)
    suggestion_decisions = models.JSONField(default=dict)
    base_fingerprint = models.CharField(max_length=64)
    plan = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_fingerprint = models.CharField(max_length=64, blank=True, default="")
    journal = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    report_rtf = models.BinaryField(default=b"")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mise à jour des emprunteurs")
        verbose_name_plural = _("mises à jour des emprunteurs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.library.uai} {self.created_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"
