"""One audit trail for every state change, and "alert" for what the librarian is told.

Renames keep every row: the desk journal becomes the library's journal (more actions, a ``data``
column), and the notices become alerts ("notice" means a catalogue record in BCDI's words).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_circulation"),
    ]

    operations = [
        migrations.RenameModel("CirculationEvent", "LibraryEvent"),
        migrations.RenameModel("LibraryNotice", "LibrarianAlert"),
        migrations.AlterModelOptions(
            name='libraryevent',
            options={'ordering': ['-at', '-pk'], 'verbose_name': 'ligne du journal', 'verbose_name_plural': 'lignes du journal'},
        ),
        migrations.RenameIndex(
            model_name='librarianalert',
            new_name='library_lib_library_4a6aa0_idx',
            old_name='library_lib_library_a90875_idx',
        ),
        migrations.AddField(
            model_name='libraryevent',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='données'),
        ),
        migrations.AlterField(
            model_name='librarianalert',
            name='borrower',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='alerts', to='library.borrower'),
        ),
        migrations.AlterField(
            model_name='librarianalert',
            name='library',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='library.library'),
        ),
        migrations.AlterField(
            model_name='libraryevent',
            name='action',
            field=models.CharField(choices=[('checkout', 'prêt'), ('return', 'retour'), ('renew', 'prolongation'), ('reserve', 'réservation'), ('reservation_cancel', 'réservation annulée'), ('copy_status', "statut d'exemplaire"), ('loans_reassign', 'prêts réattribués'), ('borrower_type', "type d'emprunteur"), ('borrower_delete', 'fiche supprimée'), ('borrower_edit', 'fiche modifiée'), ('check_fix', 'correction avant mise à jour'), ('update_analyse', 'mise à jour analysée'), ('update_decide', 'décision de mise à jour'), ('update_abandon', 'mise à jour abandonnée'), ('update_import', 'mise à jour importée'), ('update_undo', 'mise à jour annulée'), ('record_create', 'notice créée'), ('record_update', 'notice modifiée'), ('copy_add', 'exemplaire ajouté'), ('copy_update', 'exemplaire modifié'), ('marc_import', 'import de notices'), ('restore', 'restauration'), ('anonymise', 'prêts anonymisés'), ('borrowers_import', "import d'emprunteurs"), ('loans_import', 'import de prêts')], max_length=30, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='libraryevent',
            name='library',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='library.library'),
        ),
        migrations.AddIndex(
            model_name='libraryevent',
            index=models.Index(fields=['library', 'action', 'at'], name='library_lib_library_263e4f_idx'),
        ),
    ]
