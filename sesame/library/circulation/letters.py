"""Printable reminder letters (*lettres de relance*) for overdue loans (SPEC §2, seed C7).

One letter per borrower, each starting on a new page so the librarian can hand them out or slip
them into envelopes one by one: the school and library, the date, the borrower's name and class,
the overdue titles with their barcode and due date, and a polite French text.

The PDF uses fpdf2's core font Helvetica rather than an embedded TrueType font: it needs no font
file in the repository or on the server, keeps each letter a few kilobytes, and prints the same
everywhere. Core fonts only know Latin-1, so every text goes through ``latin1`` first.
"""

import unicodedata
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from sesame.library.models import Borrower, Library, Loan

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# Column widths in millimetres on an A4 page with 20 mm margins (170 mm of text width).
TITLE_WIDTH, BARCODE_WIDTH, DUE_WIDTH = 90, 32, 48
LINE = 6


def latin1(text: str) -> str:
    """``text`` reduced to what Helvetica (a PDF core font, Latin-1 only) can print.

    French needs only one letter outside Latin-1 in practice, the ligature œ/Œ ("sœur", "Œuvres
    complètes"), so it is written "oe"/"OE" as typewriters did. Any other character outside
    Latin-1 (an emoji, a Cyrillic letter in a title) is dropped: fpdf2 would refuse the whole
    document otherwise, and one missing sign must not stop a class's letters from printing.
    Decomposed accents (e + combining acute, as some imports store them) are first composed,
    so "é" stays "é" instead of losing its accent.
    """
    text = unicodedata.normalize("NFC", text).replace("œ", "oe").replace("Œ", "OE")
    return "".join(char for char in text if ord(char) < 256)


def french_date(day: date) -> str:
    """"2 septembre 2025": spelt out, as a letter is dated, whatever the server's locale."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def letters_by_borrower(loans: Iterable[Loan]) -> list[tuple[Borrower, list[Loan]]]:
    """The loans grouped by borrower, by class then name, each borrower's loans by due date.

    Loans without a borrower (anonymous history) have nobody to write to and are left out.
    """
    groups: dict[int, tuple[Borrower, list[Loan]]] = {}
    for loan in loans:
        if loan.borrower is None:
            continue
        groups.setdefault(loan.borrower_id, (loan.borrower, []))[1].append(loan)
    ordered = sorted(groups.values(), key=lambda group: (group[0].school_class, group[0].name,
                                                         group[0].number))
    return [(borrower, sorted(items, key=lambda loan: (loan.due_on, loan.copy.barcode)))
            for borrower, items in ordered]


class _LetterPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, self.footer_text, align="C")


def _write(pdf: FPDF, text: str, *, style: str = "", size: int = 11, height: float = LINE,
           align: str = "L") -> None:
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.multi_cell(0, height, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _loans_table(pdf: FPDF, loans: list[Loan], today: date) -> None:
    pdf.set_font("Helvetica", style="B", size=10)
    headers = ((_("Titre"), TITLE_WIDTH), (_("Code-barre"), BARCODE_WIDTH), (_("Retour prévu"), DUE_WIDTH))
    for label, width in headers:
        pdf.cell(width, 7, latin1(label), border=1)
    pdf.ln(7)
    pdf.set_font("Helvetica", size=10)
    for loan in loans:
        title = loan.copy.record.title
        late = (today - loan.due_on).days
        due = loan.due_on.strftime("%d/%m/%Y")
        # The title may wrap: measure it first so the three cells of the row share one height.
        lines = pdf.multi_cell(TITLE_WIDTH, LINE, latin1(title), dry_run=True, output="LINES")
        height = max(len(lines), 1) * LINE
        if pdf.will_page_break(height):
            pdf.add_page()
        x, y = pdf.get_x(), pdf.get_y()
        pdf.multi_cell(TITLE_WIDTH, LINE, latin1(title), border=1, align="L",
                       new_x=XPos.RIGHT, new_y=YPos.TOP, max_line_height=LINE)
        pdf.set_xy(x + TITLE_WIDTH, y)
        pdf.cell(BARCODE_WIDTH, height, latin1(loan.copy.barcode), border=1)
        pdf.cell(DUE_WIDTH, height, latin1(
            _("%(due)s (%(days)s j de retard)") % {"due": due, "days": late} if late > 0 else due), border=1)
        pdf.set_xy(x, y + height)


def reminder_letters_pdf(*, library: Library, loans: Iterable[Loan], today: date) -> bytes:
    """A PDF with one reminder letter per borrower of ``loans`` (each on its own page).

    ``loans`` are the overdue loans to remind (the caller chooses them: a class, or everyone),
    with ``borrower`` and ``copy__record`` preferably already selected. An empty list gives a
    one-page document saying there is nothing to remind, so a download never fails.
    """
    loans = list(loans)
    pdf = _LetterPDF(footer_text=latin1(f"{library.name} - {_('CDI')} - {library.uai}"))
    pdf.set_title(latin1(_("Lettres de relance")))
    pdf.set_author(latin1(library.name))
    pdf.set_creator("Sésame")
    groups = letters_by_borrower(loans)
    if not groups:
        pdf.add_page()
        _write(pdf, _("Aucun prêt en retard : aucune lettre de relance à imprimer."), style="B")
        return bytes(pdf.output())
    for borrower, items in groups:
        pdf.add_page()
        _write(pdf, library.name, style="B", size=13)
        _write(pdf, _("Centre de documentation et d'information (CDI)"), size=10)
        pdf.ln(4)
        _write(pdf, _("Le %(date)s") % {"date": french_date(today)}, align="R")
        pdf.ln(6)
        _write(pdf, borrower.name, style="B", size=12)
        school_class = borrower.school_class or items[0].borrower_class
        if school_class:
            _write(pdf, _("Classe : %(class)s") % {"class": school_class})
        pdf.ln(6)
        _write(pdf, _("Objet : documents à rendre au CDI"), style="B")
        pdf.ln(3)
        _write(pdf, _("Bonjour,"))
        pdf.ln(2)
        _write(pdf, ngettext(
            "Sauf erreur de notre part, le document suivant, emprunté au CDI, n'a pas encore été rendu "
            "alors que sa date de retour prévue est passée :",
            "Sauf erreur de notre part, les documents suivants, empruntés au CDI, n'ont pas encore été "
            "rendus alors que leur date de retour prévue est passée :",
            len(items),
        ))
        pdf.ln(3)
        _loans_table(pdf, items, today)
        pdf.ln(5)
        _write(pdf, ngettext(
            "Merci de le rapporter au CDI dès que possible, afin que d'autres lecteurs puissent en "
            "profiter. S'il a été perdu ou abîmé, venez simplement en parler avec le professeur "
            "documentaliste : nous trouverons une solution ensemble. Si vous l'avez déjà rendu, merci "
            "de ne pas tenir compte de ce courrier.",
            "Merci de les rapporter au CDI dès que possible, afin que d'autres lecteurs puissent en "
            "profiter. Si un document a été perdu ou abîmé, venez simplement en parler avec le "
            "professeur documentaliste : nous trouverons une solution ensemble. Si vous les avez déjà "
            "rendus, merci de ne pas tenir compte de ce courrier.",
            len(items),
        ))
        pdf.ln(4)
        _write(pdf, _("Avec nos remerciements,"))
        _write(pdf, _("Le professeur documentaliste"))
    return bytes(pdf.output())
