"""``manage.py ent_add_service NAME URL_PATTERN [--attributes a,b,c]``: register a CAS service.

The pattern is a regular expression matched against the whole service URL, as Apereo's and
django-cas-server's registries do (CAS 3.0 §2.2.1); a pattern that would accept any site is
refused. Run again with the same name, the command updates that service.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.interop.cas import InvalidPatternError, compile_pattern

from ....models import Establishment
from ...attributes import ATTRIBUTE_NAMES, DEFAULT_PRINCIPAL_ATTRIBUTE, DEFAULT_RELEASED_ATTRIBUTES
from ...models import RegisteredService
from ...services import registered_service_save


def _names(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = "Enregistre (ou met à jour) un service autorisé à utiliser le serveur CAS de l'ENT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="nom du service, par exemple « E-SIDOC 0750001A »")
        parser.add_argument("pattern", help=r"expression régulière de l'adresse entière, "
                                            r"par exemple https://0750001a\.esidoc\.fr/.*")
        parser.add_argument("--attributes", default=",".join(DEFAULT_RELEASED_ATTRIBUTES),
                            help="attributs transmis, séparés par des virgules "
                                 f"(parmi {', '.join(ATTRIBUTE_NAMES)})")
        parser.add_argument("--principal", default=DEFAULT_PRINCIPAL_ATTRIBUTE,
                            help="attribut envoyé comme utilisateur CAS (défaut : ENTPersonJointure)")
        parser.add_argument("--uai", default="",
                            help="UAI des établissements autorisés, séparés par des virgules (défaut : tous)")
        parser.add_argument("--no-single-logout", action="store_true",
                            help="ne pas prévenir le service à la déconnexion")
        parser.add_argument("--disabled", action="store_true", help="enregistrer le service désactivé")
        parser.add_argument("--order", type=int, default=100, help="ordre d'évaluation (défaut : 100)")

    def handle(self, *args, name: str, pattern: str, attributes: str, principal: str, uai: str,
               no_single_logout: bool, disabled: bool, order: int, **options) -> None:
        try:
            compile_pattern(pattern)
        except InvalidPatternError as exc:
            raise CommandError(exc.message) from exc
        released = _names(attributes)
        unknown = [n for n in [*released, principal] if n not in ATTRIBUTE_NAMES]
        if unknown:
            raise CommandError(f"Attribut inconnu : {', '.join(unknown)}. "
                               f"Attributs possibles : {', '.join(ATTRIBUTE_NAMES)}.")
        establishments = []
        for code in _names(uai):
            establishment = Establishment.objects.filter(uai=code.upper()).first()
            if establishment is None:
                raise CommandError(f"Aucun établissement n'a l'UAI {code}.")
            establishments.append(establishment)

        service = RegisteredService.objects.filter(name=name).first() or RegisteredService(name=name)
        created = service.pk is None
        service.pattern = pattern
        service.released_attributes = released
        service.principal_attribute = principal
        service.single_logout = not no_single_logout
        service.enabled = not disabled
        service.evaluation_order = order
        registered_service_save(service=service, establishments=establishments)

        scope = ", ".join(e.uai for e in establishments) or "tous les établissements"
        verb = "enregistré" if created else "mis à jour"
        self.stdout.write(
            f"Service « {name} » {verb} : motif {pattern} ; {scope} ; identifiant {principal} ; "
            f"attributs {', '.join(released) or 'aucun'}."
        )
