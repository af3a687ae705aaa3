"""Forms of the CAS pages: they validate input only; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sesame.interop.cas import InvalidPatternError, compile_pattern

from ..models import Establishment
from .attributes import ATTRIBUTE_LABELS, DEFAULT_RELEASED_ATTRIBUTES
from .models import RegisteredService


class CasLoginForm(forms.Form):
    username = forms.CharField(label=_("Identifiant"), max_length=150)
    password = forms.CharField(label=_("Mot de passe"), max_length=4096, strip=False,
                               widget=forms.PasswordInput)

    error_messages = {"required": _("Saisissez votre identifiant et votre mot de passe.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = self.error_messages["required"]


class RegisteredServiceForm(forms.ModelForm):
    """A registry entry as a school's administration edits it: only its own establishment."""

    released_attributes = forms.MultipleChoiceField(
        label=_("Attributs transmis"), required=False, choices=list(ATTRIBUTE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    establishments = forms.ModelMultipleChoiceField(
        label=_("Établissements autorisés"), queryset=Establishment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez votre établissement.")},
    )

    class Meta:
        model = RegisteredService
        fields = ["name", "pattern", "establishments", "principal_attribute", "released_attributes",
                  "single_logout", "enabled", "evaluation_order"]

    def __init__(self, *args, establishment: Establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishments"].queryset = Establishment.objects.filter(pk=establishment.pk)
        if not self.instance.pk:
            self.initial.setdefault("establishments", [establishment.pk])
            self.initial.setdefault("released_attributes", list(DEFAULT_RELEASED_ATTRIBUTES))

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data["pattern"].strip()
        try:
            compile_pattern(pattern)
        except InvalidPatternError as exc:
            raise forms.ValidationError(exc.message, code="pattern") from exc
        return pattern
