"""``manage.py demo_urls``: where to go and whom to sign in as, once the demo is running.

Everything comes from the URLconf and from ``sesame.ent.demo``, so the table cannot drift from
what ``seed_demo`` actually creates.
"""

from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from sesame.ent.demo import DEMO_NAME, DEMO_PASSWORD, DEMO_UAI, demo_college

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# (what the page is, URL name)
PAGES = (
    ("Accueil", "landing"),
    ("Connexion à l'ENT", "ent:login"),
    ("Administration › Services externes : export E-SIDOC (directeur)", "ent:admin_external_services"),
    ("Bibliothèque (CDI) : gestion et mise à jour des emprunteurs (documentaliste)", "library:login"),
)


class Command(BaseCommand):
    help = "Affiche les adresses de la démonstration et les comptes pour s'y connecter."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default=DEFAULT_BASE_URL,
            help=f"Adresse du serveur (par défaut : {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, base_url: str, **options) -> None:
        base_url = base_url.rstrip("/")
        out = self.stdout
        out.write(f"Démonstration Sésame : {DEMO_NAME} ({DEMO_UAI})")
        out.write("")
        out.write("Adresses :")
        width = max(len(label) for label, _ in PAGES)
        for label, url_name in PAGES:
            out.write(f"  {label.ljust(width)}  {base_url}{reverse(url_name)}")
        out.write("")
        out.write("Comptes :")
        accounts = demo_college().fixed_accounts
        rows = [("Identifiant", "Mot de passe", "Rôle")]
        rows += [(account.login, DEMO_PASSWORD, account.role) for account in accounts]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        for login, password, role in rows:
            out.write(f"  {login.ljust(widths[0])}  {password.ljust(widths[1])}  {role}")
