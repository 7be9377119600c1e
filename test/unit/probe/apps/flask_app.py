"""Flask + Flask-CORS on 127.0.0.1 for the probe tests.

Usage: /usr/bin/python3 flask_app.py 'JSON keyword arguments for CORS(app, ...)'
Prints "PORT <n>" once listening, then serves until killed.
"""
import json
import logging
import sys

from flask import Flask
from flask_cors import CORS
from werkzeug.serving import make_server

app = Flask(__name__)
CORS(app, **json.loads(sys.argv[1]))


@app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
@app.route("/<path:path>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def ok(path):
    return "ok\n"


logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = make_server("127.0.0.1", 0, app, threaded=True)
print("PORT %d" % server.server_port, flush=True)
server.serve_forever()
