"""Serves a Django project on 127.0.0.1 the way one environment runs it, for the environments suite.

Usage: /usr/bin/python3 serve_django.py PROJECT_DIR ENTRY
ENTRY `manage.py`: `manage.py runserver --noreload 127.0.0.1:<port>`, what a developer runs (the
settings module is the one manage.py sets by default). ENTRY `<package>/wsgi.py`: the WSGI
`application` that file builds, what a production server (gunicorn, uWSGI) loads, served by Django's
threaded WSGI server. DJANGO_SETTINGS_MODULE and every other variable come from this process's
environment, as on a real host. Prints "PORT <n>" once the port answers, then serves until killed.
"""
import os
import runpy
import socket
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def announce_when_listening(port):
    # runserver blocks the main thread: this one waits on the port (readiness, not a fixed wait).
    def run():
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                print("PORT %d" % port, flush=True)
                return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=run, daemon=True).start()


def main():
    project, entry = sys.argv[1], sys.argv[2]
    os.chdir(project)
    sys.path.insert(0, project)
    if os.path.basename(entry) == "manage.py":
        port = free_port()
        announce_when_listening(port)
        sys.argv = ["manage.py", "runserver", "--noreload", "127.0.0.1:%d" % port]
        runpy.run_path(entry, run_name="__main__")
        return
    application = runpy.run_path(entry)["application"]
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, ipv6=False)
    server.set_app(application)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
