"""Small builders for the update's inputs, so that each test shows only what matters to it."""

from datetime import date

from sesame.sync import ExistingBorrower, IncomingPerson


def person(name: str, identity: str, *, status: str = "Élève", school_class: str = "",
           birth: date | None = None, email: str = "", position: int = 0) -> IncomingPerson:
    return IncomingPerson(ent_identity=identity, name=name, status=status, school_class=school_class,
                          birth_date=birth, email=email, position=position)


def borrower(borrower_id: int, name: str, *, number: int | None = None, status: str = "Elève",
             school_class: str = "", birth: date | None = None, email: str = "", identity: str = "",
             loans: int = 0, in_lot: bool = False, borrower_type: str = "Usager") -> ExistingBorrower:
    return ExistingBorrower(
        borrower_id=borrower_id, number=borrower_id if number is None else number, name=name, status=status,
        school_class=school_class, birth_date=birth, email=email, ent_identity=identity,
        borrower_type=borrower_type, open_loans=loans, in_lot=in_lot,
    )


def numbered(people: list[IncomingPerson]) -> list[IncomingPerson]:
    """The people with their record numbers in the file (1, 2, …), as the reader gives them."""
    return [IncomingPerson(**{**p.__dict__, "position": rank}) for rank, p in enumerate(people, start=1)]
