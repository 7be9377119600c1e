"""Serves one Flask app file on 127.0.0.1 for the Flask truth suites.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.

The app file is imported as written; it must bind `app`. A catch-all view answering 200 for
every method is added so that every path the request matrix uses reaches a view (routes the app
declares itself are more specific and win). OPTIONS stays Flask's automatic answer.
"""
import importlib.util
import logging
import os
import sys

from werkzeug.serving import make_server

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def load_app(path):
    # The app's folder is on sys.path, as when the app is started from there, so that
    # `app.config.from_object("module.Class")` finds the fixture's own config module.
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def main():
    app = load_app(sys.argv[1])

    def catch_all(p=""):
        return "ok"

    app.add_url_rule("/", "truth_root", catch_all, methods=METHODS)
    app.add_url_rule("/<path:p>", "truth_catch_all", catch_all, methods=METHODS)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("PORT %d" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
