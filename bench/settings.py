"""The product's settings as `make bench` serves them: DEBUG off, on loopback, plain HTTP.

gunicorn answers on 127.0.0.1 with no TLS-terminating proxy in front, so the redirect to
https and the Secure flag on cookies (which the product turns on whenever DEBUG is off) are
switched off here; everything else, middleware included, is the product's.
"""

from commissioning.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
WHITENOISE_AUTOREFRESH = False
