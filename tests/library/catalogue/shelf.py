"""A few records as a CDI has them, with copies in every status: what the catalogue tests start from."""

from sesame.library.catalogue.services import copy_add, record_create
from sesame.library.models import Library, Record


def make_shelf(library: Library) -> dict[str, Record]:
    """Four records (one with an ISBN) and five copies: 00100001–00100004 of the first, in every
    status a librarian may set, and 00100005 of the second."""
    def create(**fields) -> Record:
        return record_create(library=library, acting_user=None, **fields)

    records = {
        "prince": create(title="Le Petit Prince", authors="Saint-Exupéry, Antoine de",
                         publisher="Gallimard Jeunesse", year=2007, isbn="978-2-07-061275-8",
                         subjects="Amitié ; Voyage", support="Livre", call_number="R SAI"),
        "loup": create(title="L'Œil du loup", authors="Pennac, Daniel", publisher="Nathan", year=2013,
                       subjects="Zoo ; Afrique ; Amitié", call_number="R PEN"),
        "volcans": create(title="Les volcans", authors="Vasseur, Élodie", publisher="Milan", year=2019,
                          subjects="Volcan ; Séisme", call_number="551 VAS"),
        "lupin": create(title="Arsène Lupin, gentleman-cambrioleur", authors="Leblanc, Maurice",
                        publisher="Le Livre de poche", year=2005, subjects="Cambrioleur ; Enquête",
                        call_number="R LEB"),
    }
    for barcode, status in (("00100001", "disponible"), ("00100002", "en réparation"),
                            ("00100003", "perdu"), ("00100004", "exclu du prêt")):
        copy_add(library=library, record_id=records["prince"].pk, barcode=barcode, status=status,
                 acting_user=None)
    copy_add(library=library, record_id=records["loup"].pk, barcode="00100005", acting_user=None)
    return records
