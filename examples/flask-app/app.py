"""A small Flask API showing what CORS Lens finds in Flask-CORS and hand-written headers.

Run it with `flask --app app run`; check it with `cors-lens check examples/flask-app`.
"""
import os

from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

FRONTENDS = os.getenv("FRONTEND_ORIGINS", "https://app.example.com,http://localhost:3000").split(",")
PARTNERS = ["https://partner.example.org", "https://reports.example.org"]

app = Flask(__name__)

# Flask-CORS matches origin regexes with re.match: this one also lets in
# https://a.example.com.attacker.test.
CORS(
    app,
    resources={
        r"/api/*": {"origins": FRONTENDS + [r"https://.*\.example\.com"], "supports_credentials": True},
        r"/public/*": {"origins": "*"},
    },
)


@app.route("/api/items", methods=["GET", "POST"])
def items():
    return jsonify(items=[])


# Default options: every origin, on this route only.
@app.route("/embed/widget")
@cross_origin()
def widget():
    return jsonify(widget="ok")


@app.route("/partner/report", methods=["GET", "PUT", "OPTIONS"])
def partner_report():
    origin = request.headers.get("Origin", "")
    if request.method == "OPTIONS" and origin in PARTNERS:
        # No Access-Control-Allow-Methods / -Headers: the partner's PUT preflight fails.
        return "", 204, {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    resp = jsonify(report=[])
    if origin in PARTNERS:
        # Two partners get two different values, and no Vary: Origin.
        resp.headers["Access-Control-Allow-Origin"] = origin
    return resp
