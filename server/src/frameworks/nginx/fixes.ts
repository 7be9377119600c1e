import type { CheckContext } from '../../checks/types';
import type { Fix, TextEdit } from '../../policy/edits';
import { placedHeaders } from './neutral';
import { policyLevels } from './levels';
import type { NginxFacts, NginxHeader, NginxMap, NginxStep } from './facts';
import { type Span, factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  indentAt,
  indentUnit,
  insertLinesAfter,
  insertLinesBefore,
  isToken,
  nginxToken,
  preferredQuote,
  removeDirective,
} from './text-edits';

const same = (a: Span, b: Span) => a.file === b.file && a.start === b.start && a.end === b.end;

/** The map that feeds the location's Access-Control-Allow-Origin, when one does. */
function originMap(facts: NginxFacts): NginxMap | undefined {
  for (const { header } of placedHeaders(facts)) {
    const variable =
      header.name.toLowerCase() === 'access-control-allow-origin' &&
      header.value.value.match(/^\$\{?(\w+)\}?$/)?.[1];
    const map = variable ? facts.maps.get(variable) : undefined;
    if (map) return map;
  }
  return undefined;
}

/** `"origin" $http_origin;` map entries, one per line, at the map's entry indentation. */
function mapEntries(text: string, map: NginxMap, origins: string[]): string {
  const first = map.entries[0];
  const indent = first
    ? indentAt(text, first.span.start)
    : indentAt(text, map.span.start) + indentUnit(text);
  const quote = preferredQuote(text);
  return origins.map((o) => `${indent}${nginxToken(o, quote, true)} $http_origin;\n`).join('');
}

/** A variable name no map or `set` uses yet. */
function freeVariable(facts: NginxFacts): string {
  const taken = (name: string) => facts.maps.has(name) || facts.setVariables.has(name);
  return (
    ['cors_origin', 'cors_allow_origin', 'cors_allowed_origin'].find((n) => !taken(n)) ??
    `cors_origin_${facts.maps.size}`
  );
}

/**
 * The policy's other unchecked `$http_origin` Access-Control-Allow-Origin lines (an OPTIONS
 * branch's copy), when `header` is one: the allowlist must replace every echo, not the first.
 */
function otherEchoes(header: NginxHeader, facts: NginxFacts): NginxHeader[] {
  const echoes = (h: NginxHeader) =>
    h.name.toLowerCase() === 'access-control-allow-origin' &&
    /^\$\{?http_origin\}?$/.test(h.value.value);
  if (!echoes(header)) return [];
  const checked = (p: ReturnType<typeof placedHeaders>[number]) =>
    !!p.guard && 'variable' in p.guard && p.guard.variable === 'http_origin';
  return [
    ...new Set(
      placedHeaders(facts)
        .filter(
          (p) =>
            p.header !== header &&
            echoes(p.header) &&
            !checked(p) &&
            p.header.span.file === header.span.file,
        )
        .map((p) => p.header),
    ),
  ];
}

/**
 * Replaces a literal `*` (or `$http_origin`) Access-Control-Allow-Origin with a map from the
 * allowed origins, and adds Vary: Origin.
 */
function mapInsteadOfStar(
  header: NginxHeader,
  facts: NginxFacts,
  origins: string[],
  context: CheckContext,
): Fix | undefined {
  const file = facts.server.span.file;
  if (facts.mapInsertAt < 0 || header.span.file !== file) return undefined;
  const text = context.text(file);
  const variable = freeVariable(facts);
  const indent = indentAt(text, facts.server.span.start);
  const unit = indentUnit(text);
  const quote = preferredQuote(text);
  const map = [
    `${indent}map $http_origin $${variable} {\n`,
    `${indent}${unit}default "";\n`,
    ...origins.map((o) => `${indent}${unit}${nginxToken(o, quote, true)} $http_origin;\n`),
    `${indent}}\n\n`,
  ].join('');
  const edits: TextEdit[] = [insertLinesBefore(text, file, facts.server.span.start, map)];
  for (const replaced of [header, ...otherEchoes(header, facts)]) {
    edits.push({ ...replaced.value.span, newText: `$${variable}` });
    // The header now depends on the request's Origin: caches must key on it.
    const level = policyLevels(facts).find((l) => l.own.includes(replaced));
    if (level && !level.own.some((h) => h.name.toLowerCase() === 'vary')) {
      const always = replaced.always ? ' always' : '';
      edits.push(
        insertLinesAfter(
          text,
          file,
          replaced.span.end,
          `${indentAt(text, replaced.span.start)}add_header Vary Origin${always};\n`,
        ),
      );
    }
  }
  return { title: `Allow only ${origins.join(', ')} (map $http_origin $${variable})`, edits };
}

/** `add_header name value[ always];` lines at `indent`. */
function addHeaderLines(
  text: string,
  indent: string,
  headers: [string, string][],
  always: boolean,
): string {
  const quote = preferredQuote(text);
  return headers
    .map(
      ([name, value]) =>
        `${indent}add_header ${name} ${nginxToken(value, quote)}${always ? ' always' : ''};\n`,
    )
    .join('');
}

/** The `if` branch whose `return` is the preflight answer. */
function preflightBranch(facts: NginxFacts): Extract<NginxStep, { kind: 'if' }> | undefined {
  const at = facts.preflightAt;
  return [...facts.location.steps, ...facts.server.steps].find(
    (s): s is Extract<NginxStep, { kind: 'if' }> =>
      s.kind === 'if' &&
      !!at &&
      s.steps.some((inner) => inner.kind === 'return' && same(inner.span, at)),
  );
}

/** Fixes in nginx configuration (`add_header`, `map $http_origin`, `if ($http_origin ~ ...)`). */
export const nginxFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const facts = factsOf(policy, 'nginx');
    // `*`, or `$http_origin` echoed unchecked (reflect-any-origin asks for the same allowlist).
    const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
    if (!facts || !at) return undefined;
    const header = placedHeaders(facts).find((p) => same(p.header.value.span, at.span))?.header;
    if (header) return mapInsteadOfStar(header, facts, origins, context);
    // A `*` (or `$http_origin`) written as a map value: send nothing there and list the origins instead.
    const map = [...facts.maps.values()].find((m) =>
      m.entries.some((e) => same(e.value.span, at.span)),
    );
    if (!map || map.span.file !== at.span.file) return undefined;
    const text = context.text(map.span.file);
    const closing = text.lastIndexOf('}', map.body.end);
    return {
      title: `Allow only ${origins.join(', ')}`,
      edits: [
        { ...at.span, newText: '""' },
        insertLinesBefore(text, map.span.file, closing, mapEntries(text, map, origins)),
      ],
    };
  },

  replaceOrigin(_policy, origin, value, context) {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    if (!isToken(text, origin.span, origin.value)) return undefined;
    const raw = text.slice(origin.span.start, origin.span.end);
    const quote = raw[0] === "'" || raw[0] === '"' ? (raw[0] as '"' | "'") : undefined;
    return [{ ...origin.span, newText: nginxToken(value, quote ?? preferredQuote(text), !!quote) }];
  },

  removeOrigin(policy, origin, context) {
    const facts = factsOf(policy, 'nginx');
    const entry =
      facts &&
      origin.span &&
      [...facts.maps.values()]
        .flatMap((m) => m.entries)
        .find((e) => e.kind === 'exact' && same(e.keySpan, origin.span!));
    return entry ? [removeDirective(context.text(entry.span.file), entry.span)] : undefined;
  },

  replacePattern(_policy, regex, pattern, context) {
    if (!regex.span || /[\s;{}"'\\]/.test(pattern.replace(/\\./g, ''))) return undefined;
    const text = context.text(regex.span.file);
    // The span is the pattern's own text (inside quotes, after `~`): only a verbatim one is rewritten.
    if (text.slice(regex.span.start, regex.span.end) !== regex.value) return undefined;
    return [{ ...regex.span, newText: pattern }];
  },

  addPreflightHeaders(policy, headers, context) {
    const facts = factsOf(policy, 'nginx');
    const branch = facts && preflightBranch(facts);
    const answer = branch?.steps.find((s) => s.kind === 'return');
    if (!branch || !answer) return undefined;
    const file = answer.span.file;
    const text = context.text(file);
    const own = branch.level.own;
    const title = `Add ${headers.map(([name]) => name).join(' and ')} to the OPTIONS branch`;
    const last = own[own.length - 1];
    if (last) {
      if (last.span.file !== file) return undefined;
      return {
        title,
        edits: [
          insertLinesAfter(
            text,
            file,
            last.span.end,
            addHeaderLines(text, indentAt(text, last.span.start), headers, last.always),
          ),
        ],
      };
    }
    // A branch without add_header inherits the enclosing level's; its first one would drop them, so they are repeated.
    if (branch.level.inherited.some((h) => h.span.file !== file)) return undefined;
    const indent = indentAt(text, answer.span.start);
    const repeated = branch.level.inherited
      .map((h) => `${indent}${text.slice(h.span.start, h.span.end)}\n`)
      .join('');
    const always = branch.level.inherited.some((h) => h.always);
    return {
      title,
      edits: [
        insertLinesBefore(
          text,
          file,
          answer.span.start,
          repeated + addHeaderLines(text, indent, headers, always),
        ),
      ],
    };
  },

  addVary(policy, context) {
    const facts = factsOf(policy, 'nginx');
    if (!facts) return undefined;
    const edits: TextEdit[] = [];
    for (const level of policyLevels(facts)) {
      const echo = level.own.find(
        (h) =>
          h.name.toLowerCase() === 'access-control-allow-origin' && h.value.value.includes('$'),
      );
      if (!echo || level.own.some((h) => h.name.toLowerCase() === 'vary')) continue;
      const text = context.text(echo.span.file);
      edits.push(
        insertLinesAfter(
          text,
          echo.span.file,
          echo.span.end,
          addHeaderLines(text, indentAt(text, echo.span.start), [['Vary', 'Origin']], echo.always),
        ),
      );
    }
    return edits.length
      ? { title: 'Add Vary: Origin next to Access-Control-Allow-Origin', edits }
      : undefined;
  },

  addOrigins(policy, origins, context) {
    const facts = factsOf(policy, 'nginx');
    const map = facts && originMap(facts);
    if (!map) return undefined;
    const text = context.text(map.span.file);
    return [
      insertLinesBefore(
        text,
        map.span.file,
        text.lastIndexOf('}', map.body.end),
        mapEntries(text, map, origins),
      ),
    ];
  },
};
