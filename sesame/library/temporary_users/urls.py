"""URLs of *Usagers temporaires* (seed C7), mounted under /bibliotheque/<uai>/ by the library's urls.py."""

from django.urls import path

from sesame.library.temporary_users import views

urlpatterns = [
    path("usagers-temporaires/", views.temporary_user_list, name="temporary_users"),
    path("usagers-temporaires/<int:number>/", views.temporary_user_detail, name="temporary_user"),
    path("usagers-temporaires/<int:number>/prets/", views.temporary_user_loans,
         name="temporary_user_loans"),
    path("usagers-temporaires/<int:number>/reattribuer/", views.temporary_user_reassign,
         name="temporary_user_reassign"),
    path("usagers-temporaires/<int:number>/supprimer/", views.temporary_user_delete,
         name="temporary_user_delete"),
]
