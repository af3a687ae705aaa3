"""Django settings for Sésame. Production differences come from environment variables (see env.py)."""

from django.utils.translation import gettext_lazy as _

from .env import (
    BASE_DIR,
    DEVELOPMENT_SECRET_KEY,
    cache_config,
    database_config,
    env_bool,
    env_list,
    env_str,
    session_engine,
)

SECRET_KEY = env_str("SESAME_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("SESAME_DEBUG", False)
ALLOWED_HOSTS = env_list("SESAME_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SESAME_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sesame.core",
    "sesame.ent",
    "sesame.library",
    "sesame.ent.cas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sesame.core.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sesame.config.urls"
WSGI_APPLICATION = "sesame.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sesame" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sesame.ent.context_processors.ent_person",
            ],
        },
    },
]

DATABASES = {"default": database_config()}
CACHES = {"default": cache_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "sesame" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"

LOGIN_URL = "ent:login"
LOGIN_REDIRECT_URL = "ent:home"
LOGOUT_REDIRECT_URL = "ent:login"

# Sessions are read on every page and every CAS login, by whichever process serves it (env.py).
SESSION_ENGINE = session_engine()
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESAME_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Reservation notices are mailed from this address (Django's placeholder unless set: library.W001).
DEFAULT_FROM_EMAIL = env_str("SESAME_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Uploaded users files are read in memory; anything larger than this is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SESAME_LOG_LEVEL", "INFO")},
}

# CAS server of the ENT (sesame.ent.cas; every setting is described in docs/cas.md).
SESAME_CAS_SERVICE_TICKET_SECONDS = int(env_str("SESAME_CAS_SERVICE_TICKET_SECONDS", "10"))
SESAME_CAS_TGT_IDLE_SECONDS = 2 * 3600
SESAME_CAS_TGT_MAX_SECONDS = 8 * 3600
SESAME_CAS_THROTTLE_ACCOUNT_FAILURES = 5
SESAME_CAS_THROTTLE_ADDRESS_FAILURES = 20
SESAME_CAS_THROTTLE_WINDOW_SECONDS = 15 * 60
SESAME_CAS_TRUSTED_PROXIES = env_list("SESAME_CAS_TRUSTED_PROXIES", [])
SESAME_CAS_SINGLE_LOGOUT_TIMEOUT_SECONDS = 3
SESAME_CAS_COOKIE_PATH = "/ent/cas/"
