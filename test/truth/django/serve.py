"""Serves one Django settings file on 127.0.0.1 for the django-cors-headers truth suite.

Usage: /usr/bin/python3 serve.py SETTINGS_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.

The settings file is loaded as it is written (no rewriting); only ROOT_URLCONF is forced to the
truth app's URLs so every fixture answers on the same paths. Django's own `runserver` is not
used: its system checks would refuse to start on settings that django-cors-headers flags
(e.g. an origin without a scheme), and those settings are exactly what we want to observe.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def load_settings(path):
    spec = importlib.util.spec_from_file_location("fixture_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    values["ROOT_URLCONF"] = "truth_urls"
    return values


def main():
    from django.conf import settings

    # A case's own middleware modules lie beside its settings (MIDDLEWARE names them by module).
    sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))

    settings.configure(**load_settings(sys.argv[1]))
    import django

    django.setup()
    # A case may connect check_request_enabled receivers in receivers.py beside its settings.
    receivers = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "receivers.py")
    if os.path.exists(receivers):
        spec = importlib.util.spec_from_file_location("fixture_receivers", receivers)
        module = importlib.util.module_from_spec(spec)
        # Kept in sys.modules as an imported app module is: Signal.connect holds receivers weakly.
        sys.modules["fixture_receivers"] = module
        spec.loader.exec_module(module)
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, ipv6=False)
    server.set_app(WSGIHandler())
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
