"""Forms of the ENT pages. They validate input only; the work is done in services and export."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from sesame.core.cas_server import clock
from sesame.core.cas_server.throttling import (
    THROTTLED_MESSAGE,
    client_address,
    login_failure_record,
    login_is_throttled,
    login_success_record,
)

from .cas.conf import cas_settings
from .models import Establishment, Level, SchoolClass


class EsidocAccessForm(forms.ModelForm):
    """"Accès E-SIDOC de l'établissement" (seed E.1)."""

    esidoc_url = forms.CharField(
        required=False,
        max_length=200,
        validators=[URLValidator(schemes=["http", "https"],
                                 message=_("Saisissez une adresse web complète, par exemple "
                                           "https://0750001a.esidoc.fr/home/."))],
        widget=forms.URLInput(attrs={"placeholder": "https://…esidoc.fr/home/"}),
    )

    class Meta:
        model = Establishment
        fields = ["esidoc_url", "esidoc_new_window"]


class EsidocExportForm(forms.Form):
    """The export selection: classes, teachers, staff.

    A ticked level stands for all its classes unless some of its classes are ticked too: then only
    those are exported. Ticking a level alone is the shorthand for the whole level, and unticking a
    class leaves it out even when its level's box stayed ticked (without JavaScript, or when the
    page's script had not run yet), so a stale level tick never widens the export.
    """

    levels = forms.ModelMultipleChoiceField(queryset=Level.objects.none(), required=False)
    classes = forms.ModelMultipleChoiceField(queryset=SchoolClass.objects.none(), required=False)
    teachers = forms.BooleanField(required=False)
    staff = forms.BooleanField(required=False)

    error_messages = {
        "invalid_choice": _("Une classe ou un niveau choisi n'existe pas dans votre établissement."),
    }

    def __init__(self, *args, establishment: Establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].queryset = Level.objects.filter(establishment=establishment)
        self.fields["classes"].queryset = SchoolClass.objects.filter(establishment=establishment)
        for name in ("levels", "classes"):
            self.fields[name].error_messages["invalid_choice"] = self.error_messages["invalid_choice"]
            self.fields[name].error_messages["invalid_pk_value"] = self.error_messages["invalid_choice"]

    def clean(self):
        cleaned = super().clean()
        classes = cleaned.get("classes") or []
        class_ids = {c.pk for c in classes}
        levels_narrowed_by_classes = {c.level_id for c in classes}
        for level in cleaned.get("levels") or []:
            if level.pk not in levels_narrowed_by_classes:
                class_ids.update(level.classes.values_list("pk", flat=True))
        cleaned["class_ids"] = sorted(class_ids)
        if not class_ids and not cleaned.get("teachers") and not cleaned.get("staff") and not self.errors:
            raise forms.ValidationError(
                _("Cochez au moins une classe, les enseignants ou les personnels à exporter."),
                code="empty_selection",
            )
        return cleaned


class EntAuthenticationForm(AuthenticationForm):
    """The ENT login, throttled per account and per address like the CAS form: both take passwords."""

    def clean(self):
        config, now = cas_settings(), clock.now()
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request, trusted_proxies=config.trusted_proxies)
        if login_is_throttled(username=username, address=address, config=config, now=now):
            raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, address=address, config=config, now=now)
            raise
        login_success_record(username=username, config=config)
        return cleaned
