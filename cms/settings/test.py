"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP unless a test asks for HTTPS
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = True  # noqa: F405
# The test client's login() authenticates without a request, which django-axes refuses;
# the lockout test switches it on for real login requests.
AXES_ENABLED = False
# Uploaded files of the tests in a folder of their own, not in the project's media folder
# (unless a test's server process is given its own MEDIA_ROOT)
if not os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
