"""Reads of the ENT directory. Views and commands call these; they never query models directly."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Establishment, Level, Person, Profile, SchoolClass


def person_for_user(*, user) -> Person | None:
    """The directory entry of a login account, or None for an account outside the directory."""
    cached = getattr(user, "_ent_person_cache", False)
    if cached is not False:
        return cached
    person = (
        Person.objects.select_related("establishment", "school_class").filter(user=user).first()
    )
    user._ent_person_cache = person
    return person


def establishment_get(*, uai: str) -> Establishment | None:
    return Establishment.objects.filter(uai=uai.strip().upper()).first()


def level_tree(*, establishment: Establishment) -> list[tuple[Level, list[SchoolClass]]]:
    """Levels in school order, each with its classes: the export page's checkbox tree."""
    classes = SchoolClass.objects.filter(establishment=establishment).select_related("level")
    by_level: dict[int, list[SchoolClass]] = {}
    for school_class in classes.order_by("level__rank", "level__code", "name"):
        by_level.setdefault(school_class.level_id, []).append(school_class)
    levels = Level.objects.filter(establishment=establishment, pk__in=by_level.keys())
    return [(level, by_level[level.pk]) for level in levels.order_by("rank", "code")]


def people_for_export(
    *,
    establishment: Establishment,
    class_ids: Iterable[int],
    include_teachers: bool,
    include_staff: bool,
) -> QuerySet[Person]:
    """Exactly the people an e-sidoc export selects. Parents are never part of it (seed C)."""

    selected = Q(profile=Profile.PUPIL, school_class_id__in=list(class_ids))
    if include_teachers:
        selected |= Q(profile=Profile.TEACHER)
    if include_staff:
        selected |= Q(profile=Profile.STAFF)
    return (
        Person.objects.filter(establishment=establishment)
        .exclude(profile=Profile.PARENT)
        .filter(selected)
        .select_related("school_class")
        .order_by("last_name", "first_name", "pk")
    )
