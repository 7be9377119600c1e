"""Serves one Falcon app module on 127.0.0.1 for the Falcon truth suite.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.

The module is loaded as written and its `app` (a WSGI falcon.App) is served by the standard
library's wsgiref server, one request at a time; its routes and CORS setup are the module's own.
"""
import importlib.util
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def load(path):
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def main():
    server = make_server("127.0.0.1", 0, load(sys.argv[1]), handler_class=QuietHandler)
    print("PORT %d" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
