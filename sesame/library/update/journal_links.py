"""What else points at a borrower the update deletes: reservations, notices, the circulation log.

Reservations are PROTECT like loans, so they must go before the borrower: a departing pupil's
wishes are cancelled and a copy held for them passes to the next in line (the circulation rule
``reservations_drop``). Notices and log lines keep their text but lose the link (SET_NULL). For
"Annuler la dernière mise à jour" to give back exactly the previous base, the journal keeps the
before-image of every reservation and copy of the records concerned, which notices the drop
created, and which notices and log lines pointed at the borrowers.
"""

from datetime import datetime

from sesame.library.circulation.reservations import reservations_drop
from sesame.library.models import Copy, LibrarianAlert, Library, LibraryEvent, Reservation


def links_detach(*, library: Library, borrower_ids: list[int], journal: dict, row, now: datetime) -> None:
    """Before ``borrower_ids`` are deleted: write down, then drop, what points at them.

    ``row`` turns a model instance into its JSON-safe column values (the journal's own format);
    ``now`` is the import's time, that of the alerts the drop gives.
    """
    journal.setdefault("links", {"reservations": [], "copies": [], "notices_created": [],
                                 "notice_links": [], "event_links": []})
    links = journal["links"]
    for model, key in ((LibrarianAlert, "notice_links"), (LibraryEvent, "event_links")):
        pointing = model.objects.filter(library=library, borrower_id__in=borrower_ids)
        links[key] += list(pointing.values_list("pk", "borrower_id"))
    records = set(Reservation.objects.filter(library=library, borrower_id__in=borrower_ids)
                  .values_list("record_id", flat=True))
    if not records:
        return
    concerned = Reservation.objects.filter(library=library, record_id__in=records)
    links["reservations"] += [row(reservation) for reservation in concerned]
    links["copies"] += [row(c) for c in Copy.objects.filter(library=library, record_id__in=records)]
    last_notice = LibrarianAlert.objects.filter(library=library).order_by("-pk").values_list("pk", flat=True)
    before = last_notice.first() or 0
    reservations_drop(borrower_ids=borrower_ids, now=now)
    links["notices_created"] += list(
        LibrarianAlert.objects.filter(library=library, pk__gt=before).values_list("pk", flat=True)
    )


def links_restore(*, library: Library, journal: dict, instance) -> None:
    """Undo ``links_detach`` once the borrowers are back (``instance`` rebuilds a row)."""
    links = journal.get("links")
    if not links:
        return
    LibrarianAlert.objects.filter(library=library, pk__in=links["notices_created"]).delete()
    records = {entry["record_id"] for entry in links["reservations"]}
    Reservation.objects.filter(library=library, record_id__in=records).delete()
    Reservation.objects.bulk_create(instance(Reservation, entry) for entry in links["reservations"])
    for entry in links["copies"]:
        Copy.objects.filter(library=library, pk=entry["id"]).update(status=entry["status"])
    for model, key in ((LibrarianAlert, "notice_links"), (LibraryEvent, "event_links")):
        for pk, borrower_id in links[key]:
            unlinked = model.objects.filter(library=library, pk=pk, borrower__isnull=True)
            unlinked.update(borrower_id=borrower_id)
