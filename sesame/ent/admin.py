from django.contrib import admin

from .models import EsidocExport, Establishment, Level, Person, SchoolClass


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "esidoc_url"]
    search_fields = ["uai", "name"]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["code", "establishment", "rank"]
    list_filter = ["establishment"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "establishment"]
    list_filter = ["establishment", "level__code"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "profile", "function", "school_class", "establishment"]
    list_filter = ["establishment", "profile", "function"]
    search_fields = ["last_name", "first_name", "ent_identity", "user__username"]
    raw_id_fields = ["user", "school_class", "children"]


@admin.register(EsidocExport)
class EsidocExportAdmin(admin.ModelAdmin):
    list_display = ["establishment", "created_at", "created_by", "person_count"]
    exclude = ["content"]
