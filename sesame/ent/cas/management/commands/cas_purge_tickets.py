"""``manage.py cas_purge_tickets``: delete CAS tickets that can no longer be used.

Like Django's ``clearsessions``, meant for a periodic job: expired ticket-granting tickets (and
their service tickets), and unvalidated service tickets past their lifetime.
"""

from django.core.management.base import BaseCommand

from ...services import tickets_purge


class Command(BaseCommand):
    help = "Supprime les tickets CAS expirés."

    def handle(self, *args, **options) -> None:
        service_tickets, tgts = tickets_purge()
        self.stdout.write(
            f"Tickets CAS supprimés : {service_tickets} ticket(s) de service, "
            f"{tgts} ticket(s) de session."
        )
