"""``manage.py seed_demo``: load the demo collège, as many times as wanted.

Safe to run on every ``make demo``: people are keyed by their ``DEMO:…`` source key, so a second
run finds them all and changes nothing. Generated people get no usable password (as after a
real import); only the fixed accounts get the published ``demo`` password. The establishment's
E-SIDOC settings are left alone: the director sets them on the administration page.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from sesame.ent.demo import DEMO_PASSWORD, demo_college
from sesame.ent.services import ImportSummary, establishment_ensure, people_import


class Command(BaseCommand):
    help = "Crée ou met à jour le collège de démonstration et ses comptes (sans doublons)."

    def handle(self, *args, **options) -> None:
        school = demo_college()
        with transaction.atomic():
            establishment = establishment_ensure(uai=school.uai, name=school.name)
            generated = people_import(establishment=establishment, entries=school.entries, password=None)
            fixed = people_import(
                establishment=establishment,
                entries=[account.entry for account in school.fixed_accounts],
                password=DEMO_PASSWORD,
            )
        self.stdout.write(f"{establishment.name} ({establishment.uai}) : {_summary(generated, fixed)}.")
        logins = ", ".join(account.login for account in school.fixed_accounts)
        self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») : {logins}.")
        self.stdout.write("Adresses et comptes : python manage.py demo_urls")


def _summary(*summaries: ImportSummary) -> str:
    """One French line for several imports: ``12 créées, 0 mises à jour, 3 inchangées…``."""
    created = sum(s.created for s in summaries)
    updated = sum(s.updated for s in summaries)
    unchanged = sum(s.unchanged for s in summaries)
    classes = sum(s.classes_created for s in summaries)
    return (
        f"{created} personnes créées, {updated} mises à jour, {unchanged} inchangées, "
        f"{classes} classes créées"
    )
