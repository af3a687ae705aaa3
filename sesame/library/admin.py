"""Django admin for the library tables: for the operator of a deployment (loan rules, librarians)."""

from django.contrib import admin

from sesame.library.models import Borrower, Copy, Librarian, Library, Loan, LoanRule, Record, Reservation


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["uai", "name"]
    search_fields = ["uai", "name"]


@admin.register(Librarian)
class LibrarianAdmin(admin.ModelAdmin):
    list_display = ["user", "library"]
    list_filter = ["library"]
    raw_id_fields = ["user"]


@admin.register(LoanRule)
class LoanRuleAdmin(admin.ModelAdmin):
    list_display = ["library", "status", "loan_days", "max_loans", "renewals_allowed"]
    list_filter = ["library"]


@admin.register(Borrower)
class BorrowerAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "status", "school_class", "borrower_type", "library"]
    list_filter = ["library", "borrower_type"]
    search_fields = ["name", "ent_identity"]
    # Changed only by the update and by the circulation rules.
    readonly_fields = ["ent_identity", "borrower_type"]


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["title", "authors", "year", "library"]
    list_filter = ["library"]
    search_fields = ["title", "authors", "isbn"]


@admin.register(Copy)
class CopyAdmin(admin.ModelAdmin):
    list_display = ["barcode", "record", "status", "library"]
    list_filter = ["library", "status"]
    search_fields = ["barcode"]
    raw_id_fields = ["record"]
    readonly_fields = ["status"]  # a copy on loan changes status only through the circulation


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["copy", "borrower", "loaned_on", "due_on", "returned_on", "library"]
    list_filter = ["library"]
    raw_id_fields = ["copy", "borrower"]

    def has_change_permission(self, request, obj=None):
        return False  # loans change only through the circulation services (data is sacred)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["record", "borrower", "state", "created_at", "library"]
    list_filter = ["library", "state"]
    raw_id_fields = ["record", "borrower", "copy"]
