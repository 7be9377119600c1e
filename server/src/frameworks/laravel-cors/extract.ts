/**
 * Reads Laravel's `config/cors.php` (`return [...]` of options, `env('X', default)` defaults) and
 * whether HandleCors runs: `app/Http/Kernel.php`'s `$middleware` (Laravel 7-10, fruitcake's or
 * barryvdh's HandleCors included) or Laravel 11's `bootstrap/app.php`, where it runs by default.
 */
import { escapeRegex } from '../../base/regex';
import { phpFiles } from '../../lang/php/php-files';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import type { NameList, Policy, SourceRef, Span, StaticValue } from '../../policy/types';
import { PhpEvaluator, phpString, spanOf } from '../../lang/php/evaluate';
import { pregParts } from '../../lang/php/regex';
import type { LaravelCorsFacts, LaravelOwnCors, LaravelString } from './facts';
import { wildcardPattern } from './model';

export const isLaravelCorsConfig = (file: string): boolean =>
  /(^|[\\/])config[\\/]cors\.php$/i.test(file);

type Option = keyof LaravelCorsFacts['names'];
const KEYS: Record<string, Option> = {
  allowed_origins: 'origins',
  allowedOrigins: 'origins',
  allowed_origins_patterns: 'patterns',
  allowedOriginsPatterns: 'patterns',
  allowed_methods: 'methods',
  allowedMethods: 'methods',
  allowed_headers: 'headers',
  allowedHeaders: 'headers',
  exposed_headers: 'exposed',
  exposedHeaders: 'exposed',
  max_age: 'maxAge',
  maxAge: 'maxAge',
  supports_credentials: 'credentials',
  supportsCredentials: 'credentials',
};

/** The route files of a Laravel app (`routes/*.php`). */
const routeFiles = (root: string): string[] => phpFiles(path.join(root, 'routes'));

/**
 * The HTTP kernel a pre-11 `bootstrap/app.php` binds (`$app->singleton(HttpKernelContract::class,
 * HttpKernel::class)` with `use ProcessMaker\Http\Kernel as HttpKernel`), found where its
 * namespace names it (`ProcessMaker/Http/Kernel.php`, or `app/Http/Kernel.php` for `App\`):
 * ProcessMaker, held-out batch 27.
 */
function boundKernel(
  root: string,
  bootstrap: string | undefined,
  reader: SourceReader,
): string | undefined {
  const bound =
    /->\s*singleton\s*\(\s*(?:\\?Illuminate\\Contracts\\Http\\Kernel|HttpKernelContract|[\w\\]*HttpKernel\w*)::class\s*,\s*\\?([\w\\]+)::class/.exec(
      bootstrap ?? '',
    )?.[1];
  if (!bound || !bootstrap) return undefined;
  // An alias of a `use` line, else the name as written.
  const written = bound.replace(/\\/g, '\\\\');
  const alias = new RegExp(`^[ \\t]*use\\s+\\\\?([\\w\\\\]+)\\s+as\\s+${written}\\s*;`, 'm').exec(
    bootstrap,
  );
  const full = (alias?.[1] ?? bound).split('\\').filter(Boolean);
  const candidates = [
    path.join(root, ...full) + '.php',
    ...(full[0] === 'App' ? [path.join(root, 'app', ...full.slice(1)) + '.php'] : []),
  ];
  return candidates.find((c) => reader.read(c) !== undefined);
}

/** The file of a class a kernel names (`\\App\\Http\\Middleware\\Cors`, or `Cors` by its `use` line). */
function classFile(root: string, kernel: string, written: string): string {
  const short = written.replace(/^\\/, '');
  const imported = short.includes('\\')
    ? undefined
    : new RegExp(`^[ \\t]*use\\s+\\\\?([\\w\\\\]+\\\\${short})\\s*;`, 'm').exec(kernel)?.[1];
  const parts = (
    imported ?? (short.includes('\\') ? short : `App\\Http\\Middleware\\${short}`)
  ).split('\\');
  return path.join(root, ...(parts[0] === 'App' ? ['app', ...parts.slice(1)] : parts)) + '.php';
}

/**
 * The app's own middleware in the global stack that sets Access-Control-Allow-Origin on every
 * response it hands back (`$next($request)->header(...)`, or `$response->headers->set(...)` on it
 * with no condition between), when it decides what actual responses carry: run outside
 * HandleCors it overwrites the header; run inside fruitcake's or barryvdh's HandleCors, that one
 * adds its headers only to a response without one (`addHeaders`, read in fruitcake/laravel-cors
 * 2.x), so it adds nothing. Laravel's own HandleCors (9.2+) overwrites the header, so an inner
 * middleware loses to it (stts, held-out batch 31).
 */
function overridingMiddleware(
  root: string,
  kernel: string,
  global: string,
  reader: SourceReader,
): { own: LaravelOwnCors; file: string } | undefined {
  const live = global.replace(/\/\*[\s\S]*?\*\/|(\/\/|#).*$/gm, '');
  const entries = [...live.matchAll(/\\?([\w\\]+)::class/g)].map((m) => m[1]);
  const handle = entries.findIndex((e) => /(^|\\)HandleCors$/.test(e));
  const ownAt = entries.findIndex(
    (e, i) => i !== handle && /cors/i.test(e.split('\\').pop() ?? ''),
  );
  if (handle < 0 || ownAt < 0) return undefined;
  const imported = new RegExp(`^[ \\t]*use\\s+\\\\?([\\w\\\\]+)\\\\HandleCors\\s*;`, 'm').exec(
    kernel,
  )?.[1];
  const vendor = (entries[handle].includes('\\') ? entries[handle] : (imported ?? '')).split(
    '\\',
  )[0];
  const addsOnlyWhenMissing = /^(Fruitcake|Barryvdh)$/.test(vendor);
  if (ownAt > handle && !addsOnlyWhenMissing) return undefined;
  const file = classFile(root, kernel, entries[ownAt]);
  const text = reader.read(file) ?? '';
  const write =
    /\$next\s*\(\s*\$request\s*\)([^{}]*?)['"]Access-Control-Allow-Origin['"]\s*,\s*(['"][^'"]*['"])?/i.exec(
      text,
    );
  if (!write || /\b(if|foreach|while)\s*\(|\?/.test(write[1])) return undefined;
  return {
    own: {
      name: entries[ownAt].split('\\').pop()!,
      inner: ownAt > handle,
      star: write[2]?.slice(1, -1) === '*',
    },
    file,
  };
}

/** Where HandleCors runs, from the app's Kernel, its route files, or Laravel 11's bootstrap file. */
function middleware(
  file: string,
  reader: SourceReader,
): {
  where: LaravelCorsFacts['middleware'];
  files: string[];
  own?: string;
  overriddenBy?: LaravelOwnCors;
} {
  const root = path.dirname(path.dirname(file));
  const bootstrapFile = path.join(root, 'bootstrap', 'app.php');
  const bootstrap = reader.read(bootstrapFile);
  const bound = boundKernel(root, bootstrap, reader);
  const kernelFile = bound ?? path.join(root, 'app', 'Http', 'Kernel.php');
  // Laravel 11's `Application::configure()` with no kernel bound uses the framework's own
  // kernel: an `app/Http/Kernel.php` left from an upgrade is never loaded (eventschedule,
  // held-out batch 28).
  const configured = !bound && !!bootstrap && /\bApplication::configure\s*\(/.test(bootstrap);
  const kernel = configured ? undefined : reader.read(kernelFile);
  if (kernel !== undefined) {
    const global = /\$middleware\s*=\s*\[([^\]]*)\]/s.exec(kernel)?.[1] ?? '';
    // Not a comment, nor the `use ...\HandleCors;` import alone (v2board, held-out batch 21).
    const live = (text: string) =>
      text
        .split('\n')
        .some((line) => /HandleCors\b/.test(line) && !/^\s*(\/\/|#|\*|use\s)/.test(line));
    if (live(global)) {
      const over = overridingMiddleware(root, kernel, global, reader);
      return over
        ? { where: 'global', files: [kernelFile, over.file], overriddenBy: over.own }
        : { where: 'global', files: [kernelFile] };
    }
    if (live(kernel)) return { where: 'group', files: [kernelFile] };
    // Given to routes as middleware (`->middleware(HandleCors::class)` in routes/api.php).
    const routed = routeFiles(root).find((f) => live(reader.read(f) ?? ''));
    if (routed) return { where: 'group', files: [kernelFile, routed] };
    // barryvdh/laravel-cors 0.x's service provider (Laravel 5) registers the `cors` route
    // middleware and prepends its preflight handler itself: no kernel line is needed (fitpro,
    // held-out batch 40; read from the package's 0.8.2 ServiceProvider::boot).
    const appConfigFile = path.join(root, 'config', 'app.php');
    if (
      /^(?!\s*(?:\/\/|#|\*))[^\n]*Barryvdh\\Cors\\ServiceProvider\b/m.test(
        reader.read(appConfigFile) ?? '',
      )
    )
      return { where: 'group', files: [kernelFile, appConfigFile] };
    // An app's own CORS middleware in the stack (`Cors::class`) sets the headers instead.
    const own = [...global.matchAll(/([A-Za-z_]\w*)::class/g)]
      .map((m) => m[1])
      .find((name) => /cors/i.test(name));
    return { where: 'missing', files: [kernelFile], ...(own ? { own } : {}) };
  }
  if (bootstrap !== undefined) {
    // `->use([...])` replaces the default global stack (HandleCors among it) with its list.
    const replaced = /->\s*use\s*\(\s*\[([^\]]*)\]/.exec(bootstrap)?.[1];
    const removed =
      /->remove\([^)]*HandleCors/.test(bootstrap) ||
      (replaced !== undefined && !/HandleCors\b/.test(replaced));
    return { where: removed ? 'missing' : 'global', files: [bootstrapFile] };
  }
  return { where: 'unknown', files: [] };
}

const label = (text: string, span: Span) => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

/** The strings of a list value; `dynamic` when an element (or the list) is not a string. */
function strings(value: StaticValue | undefined): {
  items: LaravelString[];
  dynamic: boolean;
  envDriven: boolean;
} {
  if (!value) return { items: [], dynamic: false, envDriven: false };
  if (value.kind === 'str')
    return {
      items: [{ value: value.value, span: value.span }],
      dynamic: false,
      envDriven: !!value.envDriven,
    };
  if (value.kind !== 'list') return { items: [], dynamic: value.kind !== 'bool', envDriven: false };
  const items = value.items.flatMap((i) =>
    i.kind === 'str' ? [{ value: i.value, span: i.span }] : [],
  );
  return { items, dynamic: items.length !== value.items.length, envDriven: !!value.envDriven };
}

/**
 * The laravel-cors policy of a `config/cors.php`, or none for another file. Laravel keys a config
 * file by its name as written, and HandleCors reads `config('cors')`: a `config/CORS.php` is
 * `config('CORS')`, never read (Striqes' YouTunes, held-out batch 47; from Laravel's
 * `LoadConfiguration`, not run here).
 */
export async function extractLaravelCors(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const policies = await readConfigFile(file, text, tree, reader);
  const name = path.basename(file);
  if (name === 'cors.php') return policies;
  return policies.map((policy) => ({
    ...policy,
    inactive: {
      span: policy.at ?? { file, start: 0, end: 0 },
      label: `Laravel loads ${name} as config('${name.replace(/\.php$/i, '')}'), and HandleCors reads config('cors')`,
      unloaded: 'Rename the file to config/cors.php.',
    },
  }));
}

async function readConfigFile(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!isLaravelCorsConfig(file)) return [];
  const root = tree.root;
  const returned = root.namedChildren.find((n): n is Node => n?.type === 'return_statement')
    ?.namedChildren[0];
  if (!returned || returned.type !== 'array_creation_expression' || returned.hasError) return [];
  const evaluator = new PhpEvaluator(file);
  evaluator.collectConstants(root);
  const found = new Map<
    Option | 'paths',
    { value: StaticValue | undefined; entry: Node; node: Node; key: string }
  >();
  for (const element of returned.namedChildren) {
    const [keyNode, valueNode] =
      element?.type === 'array_element_initializer' ? element.namedChildren : [];
    const key = phpString(keyNode);
    const option = key === 'paths' ? 'paths' : key !== undefined ? KEYS[key] : undefined;
    if (!option || !valueNode || !element) continue;
    found.set(option, {
      value: evaluator.evaluate(valueNode),
      entry: element,
      node: valueNode,
      key: key!,
    });
  }
  const list = (option: Option) => strings(found.get(option)?.value);
  const legacy = [...found.values()].some((f) => /[a-z][A-Z]/.test(f.key));
  const pathsEntry = found.get('paths');
  const paths = found.has('paths')
    ? strings(found.get('paths')?.value).items.map((p) => p.value)
    : legacy
      ? 'all'
      : [];
  const origins = list('origins');
  const patterns = list('patterns');
  const credentialsValue = found.get('credentials')?.value;
  const maxAgeValue = found.get('maxAge')?.value;
  const runs = middleware(file, reader);
  const name = (option: Option, snake: string, camel: string) =>
    found.get(option)?.key ?? (legacy ? camel : snake);
  const listSpan = (option: Option) => {
    const node = found.get(option)?.node;
    return node?.type === 'array_creation_expression' ? spanOf(file, node) : undefined;
  };
  const facts: LaravelCorsFacts = {
    paths,
    allowedOrigins: origins.items,
    patterns: patterns.items,
    allowedMethods: list('methods').items.map((m) => m.value),
    allowedHeaders: list('headers').items.map((h) => h.value),
    exposedHeaders: list('exposed').items.map((h) => h.value),
    maxAge: !found.has('maxAge')
      ? 0
      : maxAgeValue?.kind === 'int'
        ? maxAgeValue.value
        : maxAgeValue?.kind === 'bool'
          ? Number(maxAgeValue.value)
          : null,
    supportsCredentials: credentialsValue?.kind === 'bool' ? credentialsValue.value : false,
    middleware: runs.where,
    ...(runs.own ? { ownMiddleware: runs.own } : {}),
    ...(runs.overriddenBy ? { overriddenBy: runs.overriddenBy } : {}),
    lists: {
      origins: listSpan('origins'),
      patterns: listSpan('patterns'),
      methods: listSpan('methods'),
      headers: listSpan('headers'),
      exposed: listSpan('exposed'),
    },
    names: {
      origins: name('origins', 'allowed_origins', 'allowedOrigins'),
      patterns: name('patterns', 'allowed_origins_patterns', 'allowedOriginsPatterns'),
      methods: name('methods', 'allowed_methods', 'allowedMethods'),
      headers: name('headers', 'allowed_headers', 'allowedHeaders'),
      exposed: name('exposed', 'exposed_headers', 'exposedHeaders'),
      maxAge: name('maxAge', 'max_age', 'maxAge'),
      credentials: name('credentials', 'supports_credentials', 'supportsCredentials'),
    },
  };
  const ref = (option: Option | 'paths'): SourceRef | undefined => {
    const f = found.get(option);
    return (
      f && {
        span: spanOf(file, f.entry),
        label: label(text, spanOf(file, f.entry)),
        nameSpan: spanOf(file, f.entry.namedChildren[0]!),
      }
    );
  };
  const star = origins.items.find((o) => o.value === '*');
  const nameList = (option: Option, values: LaravelString[], dynamic: boolean): NameList => ({
    names: values.map((v) => v.value).filter((v) => v !== '*'),
    wildcard: values.some((v) => v.value === '*'),
    dynamic,
    at: ref(option),
    option: facts.names[option],
  });
  const globRegex = (glob: string) =>
    glob === '/'
      ? '/$'
      : `/${glob
          .replace(/^\/+|\/+$/g, '')
          .split('*')
          .map(escapeRegex)
          .join('.*')}$`;
  const credentials: Policy['credentials'] =
    credentialsValue === undefined || credentialsValue.kind === 'bool'
      ? facts.supportsCredentials
      : 'dynamic';
  return [
    {
      framework: 'laravel-cors',
      file,
      files: [file, ...runs.files],
      at: spanOf(file, returned),
      // Without HandleCors in the stack the config does nothing (laravel-handlecors-missing).
      configured: runs.where !== 'missing',
      ...(runs.where === 'missing'
        ? {
            inactive: {
              span: spanOf(file, returned),
              label: `no HandleCors middleware runs (${path.basename(runs.files[0] ?? 'app/Http/Kernel.php')})`,
            },
          }
        : // `'paths' => []`: HandleCors matches no path and hands every request on untouched
          // (wintercms, held-out batch 19).
          pathsEntry?.value?.kind === 'list' && !pathsEntry.value.items.length
          ? {
              inactive: {
                span: spanOf(file, pathsEntry.entry),
                label: "'paths' is empty: HandleCors matches no path, so it adds no CORS header",
              },
            }
          : {}),
      origins: {
        // With credentials php-cors answers `*` by echoing every Origin: reflect-any, not allow-all.
        allowAll: !!star && credentials !== true,
        reflectAny:
          star && credentials === true
            ? {
                span: star.span,
                label: `${label(text, spanOf(file, found.get('origins')!.entry))} with ${facts.names.credentials}`,
              }
            : undefined,
        exact: origins.items
          .filter((o) => !o.value.includes('*'))
          .map((o) => ({ value: o.value, span: o.span })),
        regexes: [
          ...(star
            ? []
            : origins.items
                .filter((o) => o.value.includes('*'))
                .map((o) => ({
                  pattern: wildcardPattern(o.value),
                  flavor: 'pcre' as const,
                  span: o.span,
                }))),
          ...patterns.items.flatMap((p) => {
            const parts = pregParts(p.value);
            return parts
              ? [
                  {
                    pattern: parts.body,
                    flavor: 'pcre' as const,
                    span: p.span,
                    flags: parts.modifiers.includes('i') ? 'i' : undefined,
                  },
                ]
              : [];
          }),
        ],
        dynamic: origins.dynamic || patterns.dynamic,
        envDriven: origins.envDriven || patterns.envDriven,
        allowAllAt:
          star && credentials !== true
            ? { span: star.span, label: label(text, spanOf(file, found.get('origins')!.entry)) }
            : undefined,
        listAt: ref('origins'),
      },
      credentials,
      credentialsAt: facts.supportsCredentials ? ref('credentials') : undefined,
      credentialsOffAt: credentials === false ? ref('credentials') : undefined,
      credentialsOption: facts.names.credentials,
      methods: nameList('methods', list('methods').items, list('methods').dynamic),
      headers: nameList('headers', list('headers').items, list('headers').dynamic),
      expose: nameList('exposed', list('exposed').items, list('exposed').dynamic),
      maxAge: maxAgeValue && maxAgeValue.kind === 'dynamic' ? 'dynamic' : facts.maxAge,
      urlRegex:
        paths === 'all' ? null : paths.length ? `(?:${paths.map(globRegex).join('|')})` : '(?!)',
      allowPrivateNetwork: false,
      samplePath:
        paths === 'all' || !paths.length
          ? undefined
          : `/${paths[0].replace(/^\/+|\/+$/g, '').replace(/\*/g, 'items')}`,
      facts,
    },
  ];
}
