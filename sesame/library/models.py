"""The library (CDI) of one establishment: borrowers, catalogue, copies, loans (SPEC §2).

Every row belongs to one ``Library``, identified by the establishment's UAI; the library never
reads the ENT's tables, it learns about people only through the users file. ``Loan.borrower`` is
``PROTECT``: the database itself refuses to delete a borrower who still has a loan row, so no
code path can lose a loan by deleting its borrower.

Circulation (``circulation.py``, ``temporary_users.py``) adds the loan rules per status, the
reservation queue, the notices the librarian reads ("BCDI vous en informera", seed C7) and the
desk journal of who did what. ``Reservation.borrower`` is ``PROTECT`` too: whatever deletes
borrowers first drops their reservations (``circulation_rules.reservations_drop``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sesame.core.models import EstablishmentIdentity


class Library(EstablishmentIdentity):
    """One establishment's library base (one BCDI base)."""

    class Meta:
        verbose_name = _("bibliothèque")
        verbose_name_plural = _("bibliothèques")
        ordering = ["uai"]


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
    # How many times the loan was renewed (``LoanRule.renewals_allowed`` bounds it).
    renewals = models.PositiveSmallIntegerField(_("prolongations"), default=0)
    # Closed because the copy was declared lost (seed C7: "BCDI vous proposera de clôturer les
    # prêts associés"), not because the copy came back: statistics and reminders tell them apart.
    closed_as_lost = models.BooleanField(_("clôturé (exemplaire perdu)"), default=False)

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


class LoanRule(models.Model):
    """How long, how many and how often a borrower of one status may borrow.

    ``status`` is free text like the borrowers' *Statut* and is matched as a person reads it
    (accents, case and punctuation ignored), so "Elève" rules "Élève" too; the rule with an
    empty status applies to every status without a rule of its own.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="loan_rules")
    status = models.CharField(_("statut"), max_length=60, blank=True, default="")
    loan_days = models.PositiveSmallIntegerField(_("durée du prêt (jours)"), default=21)
    max_loans = models.PositiveSmallIntegerField(_("prêts simultanés"), default=5)
    renewals_allowed = models.PositiveSmallIntegerField(_("prolongations permises"), default=1)

    class Meta:
        verbose_name = _("règle de prêt")
        verbose_name_plural = _("règles de prêt")
        ordering = ["status"]
        constraints = [
            models.UniqueConstraint(fields=["library", "status"], name="library_loanrule_unique_status"),
        ]

    def __str__(self) -> str:
        return f"{self.status or _('(par défaut)')}: {self.loan_days} j"


class ReservationState(models.TextChoices):
    WAITING = "waiting", _("en attente")
    READY = "ready", _("mise de côté")
    FULFILLED = "fulfilled", _("honorée")
    CANCELLED = "cancelled", pgettext_lazy("reservation", "annulée")


ACTIVE_RESERVATION_STATES = (ReservationState.WAITING, ReservationState.READY)


class Reservation(models.Model):
    """A borrower's place in the queue for a record; the first in line gets the next copy.

    The position is the order of ``created_at`` (then id). *Ready* means a copy came back (or
    was on the shelf) and is held for this borrower: ``copy`` is that copy, and nobody else may
    borrow it. ``Borrower`` is PROTECT, as for loans: a borrower is deleted through
    ``borrower_delete``, which cancels and removes their reservations first.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="reservations")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="reservations")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="reservations")
    created_at = models.DateTimeField(_("réservée le"), default=timezone.now)
    state = models.CharField(_("état"), max_length=10, choices=ReservationState.choices,
                             default=ReservationState.WAITING)
    ready_at = models.DateTimeField(_("mise de côté le"), null=True, blank=True)
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds")
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "borrower"],
                                    condition=Q(state__in=["waiting", "ready"]),
                                    name="library_reservation_one_active_per_borrower"),
            models.UniqueConstraint(fields=["copy"], condition=Q(state="ready"),
                                    name="library_reservation_one_hold_per_copy"),
            models.CheckConstraint(condition=~Q(state="ready") | Q(copy__isnull=False),
                                   name="library_reservation_ready_has_copy"),
        ]
        indexes = [models.Index(fields=["record", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.record} ← {self.borrower} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_RESERVATION_STATES

    @property
    def is_ready(self) -> bool:
        return self.state == ReservationState.READY


class NoticeKind(models.TextChoices):
    RESERVATION_READY = "reservation_ready", _("réservation disponible")
    TEMPORARY_USER_CLEARED = "temporary_cleared", _("usager temporaire sans prêt")


class LibraryNotice(models.Model):
    """Something the librarian is told (seed C7: "BCDI vous en informera"), listed in the app.

    When the notice concerns a borrower who has an e-mail address (a reservation now ready),
    the borrower is also written to; the notice stays as the librarian's record of it.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    kind = models.CharField(_("type"), max_length=20, choices=NoticeKind.choices)
    message = models.TextField(_("message"))
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notices")
    is_read = models.BooleanField(_("lu"), default=False)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["library", "is_read", "created_at"])]

    def __str__(self) -> str:
        return self.message


class CirculationAction(models.TextChoices):
    CHECKOUT = "checkout", _("prêt")
    RETURN = "return", _("retour")
    RENEW = "renew", _("prolongation")
    RESERVE = "reserve", _("réservation")
    RESERVATION_CANCEL = "reservation_cancel", _("réservation annulée")
    COPY_STATUS = "copy_status", _("statut d'exemplaire")
    LOANS_REASSIGN = "loans_reassign", _("prêts réattribués")
    BORROWER_TYPE = "borrower_type", _("type d'emprunteur")
    BORROWER_DELETE = "borrower_delete", _("fiche supprimée")


class CirculationEvent(models.Model):
    """Who did what at the desk: one row per change made by a circulation service.

    ``detail`` names copies and borrower numbers, never a person, so the journal keeps nothing
    of a borrower once their record is deleted (the ``borrower`` link then becomes empty).
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="circulation_events")
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=CirculationAction.choices)
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("détail"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("opération de circulation")
        verbose_name_plural = _("opérations de circulation")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.detail}"


class UpdateRun(models.Model):
    """One borrower update from the ENT file: its analysis, the librarian's decisions, what it did.

    The file itself is kept so the analysis can be recomputed after each decision; ``journal``
    holds the before-image of everything the import changed, which is what "Annuler la dernière
    mise à jour" restores.
    """

    class State(models.TextChoices):
        ANALYSED = "analysed", _("analysée")
        APPLIED = "applied", _("importée")
        UNDONE = "undone", pgettext_lazy("update", "annulée")
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
