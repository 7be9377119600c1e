/**
 * Generated source files for the benchmarks: a Django settings module, an Express app and an
 * nginx.conf of a given size, each with a real CORS setup in the middle of ordinary code, and
 * the spot where the latency bench types (inside the CORS configuration, where an edit changes
 * the policy and every check reruns).
 */

/** One document to type into. */
export interface BenchDocument {
  /** Row label: file name and line count, e.g. "settings.py (2,000 lines)". */
  label: string;
  /** File name the server sees (picks the grammar and the extractors). */
  fileName: string;
  languageId: string;
  text: string;
  /** UTF-16 offset where typing happens. */
  at: number;
  /** What is typed there, one character per edit (then deleted again, one per edit). */
  typed: string;
}

/** `count` lines made by `line(i)`. */
const lines = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n');

/** Builds a document from its text with the typing spot marked by `|`; the label gets its line count. */
function withCursor(
  fileName: string,
  languageId: string,
  marked: string,
  typed: string,
): BenchDocument {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const count = text.split('\n').length - 1;
  return {
    label: `${fileName} (${count.toLocaleString('en')} lines)`,
    fileName,
    languageId,
    text,
    at,
    typed,
  };
}

/**
 * A Django settings module of about `total` lines: the CORS block in the middle of other settings,
 * each `linesPer` lines long. tree-sitter-python's reparse walks every top-level statement, so
 * the two shapes below bound what a large settings file costs.
 */
function djangoSettings(
  total: number,
  setting: (i: number) => string,
  linesPer: number,
  shape: string,
): BenchDocument {
  const head = `SECRET_KEY = "bench"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "corsheaders"]
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]
`;
  const cors = `CORS_ALLOWED_ORIGINS = [
    "https://app.example.com",
    |
]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$"]
CORS_ALLOW_CREDENTIALS = True
`;
  // 6 lines of head and 6 of CORS; the rest are settings, half before and half after.
  const count = Math.floor((total - 12) / linesPer);
  const half = Math.floor(count / 2);
  const marked = `${head}${lines(half, setting)}\n${cors}${lines(count - half, (i) => setting(i + half))}\n`;
  const doc = withCursor('settings.py', 'python', marked, '"https://beta.example.com",');
  return { ...doc, label: doc.label.replace(' lines)', ` lines, ${shape})`) };
}

/** Settings of one line each: the worst case for the reparse (a top-level statement a line). */
export const settingsPy = (total = 2000): BenchDocument =>
  djangoSettings(
    total,
    (i) => `SETTING_${i} = {"name": "value ${i}", "items": [${i}, ${i + 1}], "on": True}`,
    1,
    'a setting a line',
  );

/** Settings written as real ones are: dicts over several lines (DATABASES, TEMPLATES, LOGGING). */
export const settingsPyMultiline = (total = 2000): BenchDocument =>
  djangoSettings(
    total,
    (i) =>
      `SERVICE_${i} = {\n    "name": "value ${i}",\n    "items": [${i}, ${i + 1}],\n    "on": True,\n}`,
    5,
    'multi-line settings',
  );

/** An Express 5 app of about `total` lines: `cors()` options near the top, then many routes. */
export function expressApp(total = 1500): BenchDocument {
  const head = `const express = require("express");
const cors = require("cors");

const app = express();
app.use(express.json());

const corsOptions = {
  origin: ["https://app.example.com", |],
  credentials: true,
  allowedHeaders: ["content-type", "x-session-token"],
};
app.use("/api", cors(corsOptions));
`;
  const route = (i: number) => `app.get("/api/items/${i}", async (req, res) => {
  const limit = Number(req.query.limit ?? 10);
  const items = await store.list("items-${i}", { limit });
  res.json({ id: ${i}, items });
});
`;
  // 12 lines of head and 2 at the end; 5 per route, comment lines for the remainder.
  const count = Math.max(0, Math.floor((total - 14) / 5));
  const routes = Array.from({ length: count }, (_, i) => route(i)).join('');
  const pad = '// health checks are served by the proxy\n'.repeat(
    Math.max(0, total - 14 - 5 * count),
  );
  const marked = `${head}${routes}${pad}\napp.listen(3000);\n`;
  return withCursor('app.js', 'javascript', marked, '"https://beta.example.com", ');
}

/** A Flask app of about `total` lines: `CORS(app, ...)` near the top, then many views. */
export function flaskApp(total = 1500): BenchDocument {
  const head = `from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://app.example.com", |], supports_credentials=True)
`;
  const view = (i: number) => `

@app.route("/api/items/${i}", methods=["GET", "POST"])
def items_${i}():
    limit = int(request.args.get("limit", 10))
    return jsonify({"id": ${i}, "limit": limit})
`;
  // 5 lines of head, 6 per view.
  const count = Math.max(0, Math.floor((total - 5) / 6));
  const marked = head + Array.from({ length: count }, (_, i) => view(i)).join('');
  return withCursor('app.py', 'python', marked, '"https://beta.example.com", ');
}

/** An nginx.conf of about `total` lines: many servers and locations, CORS headers in one in the middle. */
export function nginxConf(total = 1000): BenchDocument {
  const location = (i: number) => `        location /svc${i}/ {
            proxy_pass http://127.0.0.1:${8000 + (i % 50)};
            proxy_set_header Host $host;
        }
`;
  const cors = `        location /api/ {
            add_header Access-Control-Allow-Origin "https://app.example.com" always;
            add_header Access-Control-Allow-Headers "content-type, |" always;
            add_header Vary Origin always;
            proxy_hide_header Access-Control-Allow-Origin;
            proxy_pass http://127.0.0.1:8000;
        }
`;
  const perServer = 20;
  // Each server: 4 lines of its own plus 4 per location; the file adds 5.
  const servers = Math.max(1, Math.round((total - 5 - 7) / (4 + 4 * perServer)));
  const parts: string[] = [];
  for (let s = 0; s < servers; s++) {
    const body = Array.from({ length: perServer }, (_, i) => location(s * perServer + i)).join('');
    parts.push(
      `    server {\n        listen ${8080 + s};\n        server_name s${s}.example.com;\n${s === Math.floor(servers / 2) ? cors : ''}${body}    }\n`,
    );
  }
  const marked = `events {}\n\nhttp {\n${parts.join('')}}\n`;
  return withCursor('nginx.conf', 'nginx', marked, 'x-session-token, x-trace-id');
}

/** Line and UTF-16 character of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}
