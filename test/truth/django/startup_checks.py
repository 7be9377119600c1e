"""Runs django-cors-headers' start-up checks on the origins given as a JSON list; prints [id, origin] pairs."""
import json
import sys

from django.conf import settings

origins = json.loads(sys.argv[1])
settings.configure(INSTALLED_APPS=["corsheaders"], CORS_ALLOWED_ORIGINS=origins)

import django  # noqa: E402

django.setup()

from corsheaders.checks import check_settings  # noqa: E402

found = []
for error in check_settings():
    for origin in origins:
        if repr(origin) in error.msg:
            found.append([error.id, origin])
print(json.dumps(found))
