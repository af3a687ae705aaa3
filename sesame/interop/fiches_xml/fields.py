"""Wire vocabulary of the users file "au format BCDI" (FICHES_XML).

This is the only Python module that spells the element names. BCDI's field names
(`EMPRUNTEUR_M`, `STATUT_M_M`, ...) are opaque and easy to mistype; keeping them in one place means
a typo is a NameError at import time instead of a field silently read as empty, and the mapping
between the wire and `UserRecord` attributes is written down exactly once.
"""

from __future__ import annotations

ROOT = "FICHES_XML"
RECORD = "EMPRUNTEURS"

NAME = "EMPRUNTEUR_M"
BIRTH_DATE = "DATE_NAISSANCE_M"
ADDRESS = "ADRESSE_M"
POSTAL_CODE = "CODE_POSTAL_M"
CITY = "VILLE_M"
PHONE = "TEL_M"
EMAIL = "MEL_M"
STATUS = "STATUT_M_M"
SCHOOL_CLASS = "CLASSE_M"
GROUP = "DIVEMPR_M"
ACCOUNT = "COMPTE_M"
PASSWORD = "MOT_DE_PASSE_M"  # noqa: S105 - an element name, not a secret
IDENTITY = "IDENTITE_ENT_M"
BORROWER_TYPE = "TYPE_EMPRUNTEUR_M"

#: e-sidoc names the stored identity this way in its CAS answers; some files reuse it.
IDENTITY_ALIAS = "IDENTITE_E_M"

#: Every BCDI field name ends like this; unknown elements with this suffix are future fields.
FIELD_SUFFIX = "_M"

#: Element -> UserRecord attribute, in the order the schema (and so the writer) uses.
#: CLASSE_M and DIVEMPR_M are only written when non-empty; see writer.py.
SCHEMA_ORDER: tuple[tuple[str, str], ...] = (
    (NAME, "name"),
    (BIRTH_DATE, "birth_date"),
    (ADDRESS, "address"),
    (POSTAL_CODE, "postal_code"),
    (CITY, "city"),
    (PHONE, "phone"),
    (EMAIL, "email"),
    (STATUS, "status"),
    (SCHOOL_CLASS, "school_class"),
    (GROUP, "group"),
    (ACCOUNT, "has_account"),
    (PASSWORD, "password"),
    (IDENTITY, "ent_identity"),
    (BORROWER_TYPE, "borrower_type"),
)

#: Elements the reader knows, including the identity alias.
KNOWN_ELEMENTS: frozenset[str] = frozenset({tag for tag, _ in SCHEMA_ORDER} | {IDENTITY_ALIAS})


#: Elements written only when the value is not empty (optional in the schema).
OPTIONAL_WHEN_EMPTY: frozenset[str] = frozenset({SCHOOL_CLASS, GROUP})

ACCOUNT_YES = "OUI"
ACCOUNT_NO = "NON"
DEFAULT_BORROWER_TYPE = "Usager"

#: French label of each element for messages shown to a librarian.
LABELS: dict[str, str] = {
    NAME: "le nom",
    BIRTH_DATE: "la date de naissance",
    ADDRESS: "l'adresse",
    POSTAL_CODE: "le code postal",
    CITY: "la ville",
    PHONE: "le téléphone",
    EMAIL: "le courriel",
    STATUS: "le statut",
    SCHOOL_CLASS: "la classe",
    GROUP: "le groupe",
    ACCOUNT: "le compte",
    PASSWORD: "le mot de passe",
    IDENTITY: "l'identité ENT",
    IDENTITY_ALIAS: "l'identité ENT",
    BORROWER_TYPE: "le type d'emprunteur",
}
