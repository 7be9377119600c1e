/**
 * A generated mixed repository for `cors-lens check` vs `rg -l CORS`: mostly ordinary Python,
 * JavaScript/TypeScript and Ruby modules, docs and data files, with a CORS setup in about one
 * file in a hundred (Django settings, Express apps, nginx configs, rack-cors initializers,
 * frontend calls with custom headers), spread over nested folders as in a monorepo.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Files of each kind, by its share of the repository (the rest are plain modules). */
const corsFiles: [string, (i: number) => string][] = [
  [
    'config/settings.py',
    (i) => `INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://app${i}.example.com"]
CORS_ALLOW_CREDENTIALS = ${i % 2 ? 'True' : 'False'}
`,
  ],
  [
    'server/app.js',
    (i) => `const express = require("express");
const cors = require("cors");
const app = express();
app.use(cors({ origin: ["https://app${i}.example.com"], credentials: true }));
app.get("/api/items", (req, res) => res.json([]));
app.listen(3000);
`,
  ],
  [
    'deploy/nginx/nginx.conf',
    (i) => `events {}
http {
    server {
        listen 80;
        location /api/ {
            add_header Access-Control-Allow-Origin "https://app${i}.example.com" always;
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
`,
  ],
  [
    'config/initializers/cors.rb',
    (i) => `Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins "https://app${i}.example.com"
    resource "*", headers: :any, methods: [:get, :post]
  end
end
`,
  ],
  [
    'web/src/api.ts',
    (i) =>
      `export const load = () => fetch("https://api.example.com/items/${i}", { headers: { "x-session-token": "t" }, credentials: "include" });\n`,
  ],
];

/** Whether a file of the generated repository is one of its CORS setups. */
export const isCorsFile = (file: string): boolean =>
  corsFiles.some(([name]) => file.replace(/\\/g, '/').endsWith(`/${name}`));

const plainPython = (i: number) =>
  `"""Module ${i}."""
import json


def load_${i}(path):
    with open(path) as f:
        return json.load(f)


class Record${i}:
    def __init__(self, name, items=None):
        self.name = name
        self.items = items or []

    def total(self):
        return sum(item.get("price", 0) for item in self.items)
`.repeat(2);

/** A module in TypeScript, or (`typed` false) the same in JavaScript. */
const plainScript = (i: number, typed: boolean) => {
  const t = (annotation: string) => (typed ? annotation : '');
  return `import { readFile } from "node:fs/promises";

export async function load${i}(path${t(': string')})${t(': Promise<unknown>')} {
  return JSON.parse(await readFile(path, "utf8"));
}

export class Record${i} {
  constructor(name${t(': string')}, items${t(': { price?: number }[]')} = []) {
    this.name = name;
    this.items = items;
  }
  total()${t(': number')} {
    return this.items.reduce((sum, item) => sum + (item.price ?? 0), 0);
  }
}
`.repeat(2);
};

const plainRuby = (i: number) =>
  `class Record${i}
  attr_reader :name, :items

  def initialize(name, items = [])
    @name = name
    @items = items
  end

  def total
    items.sum { |item| item.fetch(:price, 0) }
  end
end
`.repeat(2);

const doc = (i: number) =>
  `# Package ${i}\n\nHow to build and run package ${i}.\n\n${'Some text about the package. '.repeat(30)}\n`;

/** File name and text of the i-th plain file. */
function plainFile(i: number): [string, string] {
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return [`mod_${i}.py`, plainPython(i)];
    case 4:
    case 5:
      return [`mod_${i}.js`, plainScript(i, false)];
    case 6:
    case 7:
      return [`mod_${i}.ts`, plainScript(i, true)];
    case 8:
      return [`mod_${i}.rb`, plainRuby(i)];
    default:
      return i % 20 === 9
        ? [`README_${i}.md`, doc(i)]
        : [`data_${i}.json`, JSON.stringify({ id: i, items: [1, 2, 3] }, null, 2)];
  }
}

/** Writes `count` files under `root` (a fresh folder): packages of 50 files, 1 in 100 a CORS setup. */
export function generateRepo(root: string, count: number): { files: number; corsFiles: number } {
  let cors = 0;
  for (let i = 0; i < count; i++) {
    const pkg = path.join(root, 'packages', `pkg${Math.floor(i / 50)}`);
    let rel: string;
    let text: string;
    if (i % 100 === 50) {
      const [name, make] = corsFiles[cors % corsFiles.length];
      [rel, text] = [name, make(i)];
      cors++;
    } else {
      const [name, body] = plainFile(i);
      [rel, text] = [path.join('src', `d${i % 5}`, name), body];
    }
    const file = path.join(pkg, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\ndist/\n');
  return { files: count, corsFiles: cors };
}
