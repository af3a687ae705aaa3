"""The ENT directory: establishments, levels, classes and people (SPEC §1).

A person's login account is a Django ``User`` (password through Django's hashers); the directory
entry is ``Person``, which carries the stable ENT identity (``ENTPersonJointure``). That identity
is the join key every other part relies on: it is written to the users file as
``IDENTITE_ENT_M`` and released by the CAS server, so it never changes once given.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sesame.core.models import EstablishmentIdentity


class Establishment(EstablishmentIdentity):
    """A collège or lycée, identified by its UAI."""

    esidoc_url = models.URLField(_("accès E-SIDOC de l'établissement"), blank=True, default="")
    esidoc_new_window = models.BooleanField(_("ouvrir dans une nouvelle fenêtre"), default=True)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["uai"]


class Level(models.Model):
    """A level (``6EME``, ``2NDE``…); ``rank`` orders them as a school lists them."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(_("code"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["establishment", "rank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "code"], name="ent_level_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class SchoolClass(models.Model):
    """A class (division) such as ``6eA``."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="classes")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField(_("nom"), max_length=40)

    class Meta:
        verbose_name = _("classe")
        verbose_name_plural = _("classes")
        ordering = ["establishment", "level__rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "name"], name="ent_class_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.TextChoices):
    PUPIL = "ELEVE", _("Élève")
    TEACHER = "ENSEIGNANT", _("Enseignant")
    STAFF = "PERSONNEL", _("Personnel")
    PARENT = "PARENT", _("Parent")


class StaffFunction(models.TextChoices):
    """Staff functions, as the seed's export page names them."""

    CPE = "CPE", "CPE"
    DIRECTOR = "DIRECTEUR", "DIRECTEUR"
    SECRETARY = "SECRETAIRE", "SECRETAIRE"
    ADMIN = "ADMIN", "ADMIN"
    LIBRARIAN = "CDI", "CDI"


# Functions that may open Administration › Paramètres (seed B.1: "profil : DIRECTEUR").
ADMINISTRATION_FUNCTIONS = frozenset({StaffFunction.DIRECTOR, StaffFunction.ADMIN})


class Person(models.Model):
    """Someone the ENT knows: pupil, teacher, staff member or parent."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ent_person"
    )
    ent_identity = models.CharField(_("identité ENT"), max_length=64, unique=True)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.EmailField(_("courriel"), blank=True, default="")
    address = models.CharField(_("adresse"), max_length=200, blank=True, default="")
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True, default="")
    city = models.CharField(_("ville"), max_length=100, blank=True, default="")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True, default="")
    profile = models.CharField(_("profil"), max_length=12, choices=Profile.choices)
    function = models.CharField(
        _("fonction"), max_length=12, choices=StaffFunction.choices, blank=True, default=""
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils",
        verbose_name=_("classe"),
    )
    children = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="parents", verbose_name=_("enfants")
    )
    # Where the entry came from (``SIECLE:1234``, ``STS:5678``, ``CSV:…``, ``DEMO:…``), so a
    # re-import updates the same person instead of creating a second one.
    source_key = models.CharField(_("origine"), max_length=80, blank=True, default="")

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "source_key"],
                condition=~models.Q(source_key=""),
                name="ent_person_unique_source",
            ),
        ]
        indexes = [models.Index(fields=["establishment", "profile"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """"NOM Prénom", the way the users file and BCDI write a person."""
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def profile_label(self) -> str:
        """What the header shows: the function for staff (``DIRECTEUR``), else the profile."""
        if self.profile == Profile.STAFF and self.function:
            return self.get_function_display()
        return self.get_profile_display()

    @property
    def can_administer(self) -> bool:
        return self.profile == Profile.STAFF and self.function in ADMINISTRATION_FUNCTIONS


class EsidocExport(models.Model):
    """One users file produced by the export page or command, kept for download and audit."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="exports")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    selection = models.JSONField(_("sélection"), default=dict)
    person_count = models.PositiveIntegerField(_("personnes exportées"))
    content = models.BinaryField(_("fichier"))

    class Meta:
        verbose_name = _("export E-SIDOC")
        verbose_name_plural = _("exports E-SIDOC")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.establishment.uai} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def filename(self) -> str:
        return f"export-esidoc-{self.establishment.uai}-{self.created_at:%Y%m%d-%H%M%S}.xml"
