from django.apps import AppConfig
from django.core import checks
from django.core.management import call_command
from django.db.models.signals import post_migrate


def cache_tables_create(sender, *, using: str, verbosity: int = 1, **kwargs) -> None:
    """``migrate`` creates the database cache's table too (``createcachetable``, which does nothing
    when it exists), so that no deployment, demo or test database lacks it."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class CoreConfig(AppConfig):
    name = "sesame.core"
    label = "sesame_core"
    verbose_name = "Sésame"

    def ready(self) -> None:
        from . import checks as sesame_checks

        post_migrate.connect(cache_tables_create, sender=self, dispatch_uid="sesame_core_cache_tables")
        checks.register(sesame_checks.shared_cache_check, checks.Tags.caches)
        checks.register(sesame_checks.secret_key_check, checks.Tags.security, deploy=True)
        checks.register(sesame_checks.secure_cookies_check, checks.Tags.security, deploy=True)
