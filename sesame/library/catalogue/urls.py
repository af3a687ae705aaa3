"""URLs of the library's catalogue pages (mounted under /bibliotheque/<uai>/ by urls.py)."""

from django.urls import path

from sesame.library.catalogue import views

urlpatterns = [
    path("catalogue/", views.record_search_view, name="record_search"),
    path("catalogue/nouvelle-notice/", views.record_create_view, name="record_create"),
    path("catalogue/notices/<int:record_id>/", views.record_detail_view, name="record_detail"),
    path("catalogue/notices/<int:record_id>/modifier/", views.record_edit_view, name="record_edit"),
    path("catalogue/exemplaires/<int:copy_id>/modifier/", views.copy_edit_view, name="copy_edit"),
    # Importer des notices (UNIMARC / MARC21)
    path("catalogue/importer/", views.marc_import_view, name="marc_import"),
    path("catalogue/importer/rapport.txt", views.marc_import_report_view, name="marc_import_report"),
]
