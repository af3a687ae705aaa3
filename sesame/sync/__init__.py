"""The borrower update from the ENT file, as a pure core (SPEC §2, seed C).

People of the users file and a snapshot of the library's borrowers go in, a plan comes out:
nothing here reads a file, touches a database or imports Django, so that the matching rules,
the safety rules and the report can be tested on plain values and recomputed after every
decision of the librarian. The Django side loads the snapshot, calls ``plan_update`` and carries
out the plan in one transaction; ``apply_plan_in_memory`` says what carrying it out means.
"""

from .apply import apply_plan_in_memory
from .matching import PlanInputError
from .model import (
    BorrowerRemoval,
    BorrowerUpdate,
    ExistingBorrower,
    FieldChange,
    Guard,
    HomonymConflict,
    IncomingPerson,
    MatchedBy,
    NewBorrower,
    Suggestion,
    SuggestionKey,
    UpdateOptions,
    UpdatePlan,
)
from .planning import plan_update
from .report import ReportRow, report_rows, report_rtf

__all__ = [
    "BorrowerRemoval",
    "BorrowerUpdate",
    "ExistingBorrower",
    "FieldChange",
    "Guard",
    "HomonymConflict",
    "IncomingPerson",
    "MatchedBy",
    "NewBorrower",
    "PlanInputError",
    "ReportRow",
    "Suggestion",
    "SuggestionKey",
    "UpdateOptions",
    "UpdatePlan",
    "apply_plan_in_memory",
    "plan_update",
    "report_rows",
    "report_rtf",
]
