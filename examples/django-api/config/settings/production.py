"""Production settings: everything from base, plus what differs in production."""
from .base import *  # noqa: F401,F403

CORS_ALLOWED_ORIGINS = [
    "https://app.example.com",
    "http://app.example.com",
    "null",
]
