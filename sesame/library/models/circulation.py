"""Loans, the loan rules per status and the reservation queue."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sesame.library.models.borrowers import Borrower
from sesame.library.models.catalogue import Copy, Record
from sesame.library.models.tenancy import Library


class LoanQuerySet(models.QuerySet):
    def open(self) -> "LoanQuerySet":
        """Loans not returned yet: the copy is still out (``returned_on`` empty)."""
        return self.filter(returned_on__isnull=True)

    def returned(self) -> "LoanQuerySet":
        return self.filter(returned_on__isnull=False)


class Loan(models.Model):
    """A loan, open (``returned_on`` empty) or returned.

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

    objects = LoanQuerySet.as_manager()

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
