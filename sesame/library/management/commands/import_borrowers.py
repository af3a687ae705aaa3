"""``manage.py import_borrowers --uai UAI emprunteurs.csv``: start from the school's current borrowers.

The file is read and checked by ``sesame.library.migration.files``; this command adds the checks
that need the base (a number or an ENT identity already taken) and refuses the whole file, listing
every problem with its line number, if anything is wrong. Otherwise every borrower is written in
one transaction, with ``bulk_create`` so that a whole collège (a few thousand lines) takes well
under a second. A line without a number gets the next free one, after the highest number of the
base and of the file, in the order of the file, as the old system would have done.

The other migration commands use this module's helpers (finding the library, reading the file,
refusing it) so that they all speak the same way.
"""

from collections import Counter
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction

from sesame.interop.uai import is_valid_uai, normalize_uai
from sesame.library.borrowers.expressions import fold
from sesame.library.migration.files import (
    BORROWER_COLUMNS,
    NUMBER_MAX,
    BorrowerRow,
    MigrationFileError,
    RowProblem,
    problem,
    read_borrowers_csv,
    read_file,
)
from sesame.library.models import Borrower, BorrowerType, Library

NOTHING_IMPORTED = "rien n'a été importé."
NOTHING_DONE = "Rien n'a été importé."
BATCH_SIZE = 500
BORROWER_TYPES = {BorrowerType.REGULAR.value: BorrowerType.REGULAR,
                  BorrowerType.TEMPORARY.value: BorrowerType.TEMPORARY}


class Command(BaseCommand):
    help = "Importe les emprunteurs d'une ancienne base depuis un fichier CSV (UTF-8, séparateur « ; »)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"fichier CSV : {';'.join(BORROWER_COLUMNS)}")
        parser.add_argument(
            "--uai", required=True, help="UAI de l'établissement (sa bibliothèque doit déjà exister)"
        )

    def handle(self, *args, file: str, uai: str, **options) -> None:
        library = library_for_import(uai)
        parsed = read_borrowers_csv(read_input(file))
        try:
            with transaction.atomic():
                Library.objects.select_for_update().filter(pk=library.pk).first()
                numbers, base_problems = _numbers(library, parsed.rows)
                refuse_if_any([*parsed.problems, *base_problems])
                borrowers = [
                    _borrower(library, row, number) for row, number in zip(parsed.rows, numbers, strict=True)
                ]
                Borrower.objects.bulk_create(borrowers, batch_size=BATCH_SIZE)
        except IntegrityError as exc:
            raise CommandError(
                "La base des emprunteurs a été modifiée pendant l'import (numéro ou identité ENT pris "
                f"entre-temps) : {NOTHING_IMPORTED} Relancez la commande."
            ) from exc
        for line in _summary(library, parsed.rows, numbers):
            self.stdout.write(line)
        for line in _warnings(parsed.rows):
            self.stdout.write(self.style.WARNING(line))


# --- Shared by the migration commands ------------------------------------------------------------


def library_for_import(uai: str) -> Library:
    """The library the file goes to, or a French ``CommandError`` naming the command that creates it."""
    uai = normalize_uai(uai)
    if not is_valid_uai(uai):
        raise CommandError(
            f"« {uai} » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle). {NOTHING_DONE}"
        )
    library = Library.objects.filter(uai=uai).first()
    if library is None:
        raise CommandError(
            f"Aucune bibliothèque n'a l'UAI {uai} : créez-la d'abord avec « python manage.py "
            f"add_establishment {uai} --name \"Nom de l'établissement\" ». {NOTHING_DONE}"
        )
    return library


def read_input(path: str) -> bytes:
    try:
        return read_file(path)
    except MigrationFileError as exc:
        raise CommandError(f"{exc} {NOTHING_DONE}") from exc


def refuse_if_any(problems: Iterable[RowProblem]) -> None:
    """Refuse the whole file with every problem, in the order of its lines."""
    problems = sorted(problems, key=lambda item: item.line)
    if problems:
        lines = "\n".join(item.message for item in problems)
        raise CommandError(f"Fichier refusé ({len(problems)} problème(s)), {NOTHING_IMPORTED}\n{lines}")


# --- Borrowers -----------------------------------------------------------------------------------


def _numbers(library: Library, rows: tuple[BorrowerRow, ...]) -> tuple[list[int], list[RowProblem]]:
    """The number of each row (given, or the next free one) and the conflicts with the base."""
    problems: list[RowProblem] = []
    taken = set(Borrower.objects.filter(library=library).values_list("number", flat=True))
    for row in rows:
        if row.number in taken:
            problems.append(problem(row.line, f"numéro d'emprunteur {row.number} déjà présent dans la base."))
    holders = {
        identity: (number, name)
        for identity, number, name in Borrower.objects.filter(library=library).exclude(ent_identity="")
        .values_list("ent_identity", "number", "name")
    }
    for row in rows:
        if row.ent_identity in holders:
            number, name = holders[row.ent_identity]
            problems.append(problem(
                row.line, f"identité ENT « {row.ent_identity} » déjà présente dans la base "
                          f"(emprunteur n° {number}, {name})."
            ))
    next_number = max(taken | {row.number for row in rows if row.number is not None}, default=0) + 1
    numbers: list[int] = []
    for row in rows:
        if row.number is not None:
            numbers.append(row.number)
            continue
        if next_number > NUMBER_MAX:
            problems.append(problem(row.line, "plus aucun numéro d'emprunteur libre après le plus grand."))
        numbers.append(next_number)
        next_number += 1
    return numbers, problems


def _borrower(library: Library, row: BorrowerRow, number: int) -> Borrower:
    return Borrower(
        library=library, number=number, name=row.name, status=row.status, school_class=row.school_class,
        birth_date=row.birth_date, email=row.email, borrower_type=BORROWER_TYPES[row.borrower_type],
        ent_identity=row.ent_identity,
    )


def _summary(library: Library, rows: tuple[BorrowerRow, ...], numbers: list[int]) -> list[str]:
    given = [number for row, number in zip(rows, numbers, strict=True) if row.number is None]
    temporary = sum(1 for row in rows if row.borrower_type == BorrowerType.TEMPORARY.value)
    lines = [f"Bibliothèque {library.uai} ({library.name}) : {len(rows)} emprunteur(s) importé(s)."]
    if given:
        lines.append(f"{len(given)} ligne(s) sans numéro : numéros {_number_range(given)} attribués.")
    if temporary:
        lines.append(f"{temporary} usager(s) temporaire(s).")
    statuses = Counter(row.status for row in rows)
    lines.append("Statuts : " + ", ".join(
        f"{status or '(vide)'} ({count})" for status, count in sorted(statuses.items(), key=_by_count)
    ) + ".")
    return lines


def _warnings(rows: tuple[BorrowerRow, ...]) -> list[str]:
    """What the librarian should fix before the first update from the ENT file (seed, part C)."""
    warnings: list[str] = []
    empty = sum(1 for row in rows if not row.status)
    if empty:
        warnings.append(
            f"Attention : {empty} emprunteur(s) sans statut. Complétez-les avant la première mise à jour "
            "depuis l'ENT (équation de recherche « Statut= »)."
        )
    spellings: dict[str, Counter] = {}
    for row in rows:
        if row.status:
            spellings.setdefault(fold(row.status), Counter())[row.status] += 1
    for variants in spellings.values():
        if len(variants) > 1:
            listed = ", ".join(
                f"« {status} » ({count})" for status, count in sorted(variants.items(), key=_by_count)
            )
            warnings.append(
                f"Attention : un même statut est écrit de plusieurs façons : {listed}. Harmonisez-les."
            )
    return warnings


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _number_range(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return f"{numbers[0]} à {numbers[-1]}"
