"""Model-field validators shared by the parts of Sésame."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sesame.interop.uai import is_valid_uai


def validate_uai(value: str) -> None:
    """A UAI is seven digits and its check letter (``9990001X``)."""
    if not is_valid_uai(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle)."),
            code="invalid_uai",
            params={"value": value},
        )
