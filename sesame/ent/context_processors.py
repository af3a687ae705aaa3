"""Puts the signed-in person (or None) in every template, for the ENT header."""

from .selectors import person_for_user


def ent_person(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ent_person": None}
    return {"ent_person": person_for_user(user=user)}
