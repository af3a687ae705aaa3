"""URLs of the library's circulation pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

from django.urls import path

from sesame.library.circulation.views import desk, overdue, reservations

urlpatterns = [
    # Prêt / retour
    path("pret-retour/", desk.circulation_desk, name="circulation_desk"),
    path("pret-retour/retour/", desk.circulation_return, name="circulation_return"),
    path("pret-retour/emprunteurs/<int:number>/", desk.circulation_checkout, name="circulation_checkout"),
    path("pret-retour/prets/<int:loan_id>/prolonger/", desk.circulation_renew, name="circulation_renew"),
    # Retards et relances
    path("retards/", overdue.circulation_overdue, name="circulation_overdue"),
    path("retards/lettres-de-relance.pdf", overdue.circulation_letters, name="circulation_letters"),
    # Déclarer perdu (``path``: a barcode may hold a slash, and the suffix keeps the match unambiguous)
    path("exemplaires/<path:barcode>/declarer-perdu/", desk.copy_lost, name="copy_lost"),
    # Réservations
    path("reservations/", reservations.reservations, name="reservations"),
    path("reservations/notices/<int:record_id>/", reservations.record_reservations,
         name="record_reservations"),
    path("reservations/<int:reservation_id>/annuler/", reservations.circulation_reservation_cancel,
         name="reservation_cancel"),
    # What the librarian is told
    path("avis/lu/", desk.alerts_read, name="alerts_read"),
]
