"""Shared settings for the example API."""
import os

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
ALLOWED_HOSTS = ["api.example.com"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "allauth.headless",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "config.urls"

HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "https://app.example.com/account/verify-email/{key}",
    "account_reset_password_from_key": "https://app.example.com/account/password/reset/{key}",
}

CORS_ORIGIN_WHITELIST = [
    "https://www.example.com/",
    "https://Admin.Example.com",
]
CORS_ALLOWED_ORIGIN_REGEXES = [
    r"^https://\w+.example.com",
]
CORS_ALLOW_HEADERS = [
    "accept",
    "x-session-token",
]
CORS_ALLOW_CREDENTIALS = True
