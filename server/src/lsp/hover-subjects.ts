/**
 * What a hover explains, found in a document's analysis: a Django `CORS_*` setting under the
 * cursor, or, for every framework, the part of a policy (its origins, credentials, methods,
 * headers, exposed headers) written on the hovered line or read there from an environment
 * variable. A subject knows how to find itself again among another environment's policies, so
 * one renderer (`hover.ts`) shows every framework's values per environment.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type EnvReadRef,
  type Policy,
  type Span,
  type StaticValue,
  factsOf,
} from '../policy/types';

/** A subject's value among one environment's policies. */
export interface SubjectValue {
  /** As the hover shows it (Markdown). */
  text: string;
  /** Where the value was written there: the env reads overlapping them decided it. */
  spans: Span[];
  /** The env reads of the policy that holds it, each with what that environment set. */
  reads: EnvReadRef[];
}

export interface HoverSubject {
  /** The hovered range, as document offsets. */
  start: number;
  end: number;
  /** Its value in the document's own analysis (and the lines that say where it was set). */
  header: string[];
  /** Shown for an environment whose policies lack it. */
  absent: string;
  /** Its value among `policies` (another environment's); undefined when they lack it. */
  valueIn(policies: Policy[]): SubjectValue | undefined;
  /**
   * Settles a subject that could be several parts (an env read alone on its line) once each
   * environment's value is known: the first part whose values differ between them.
   */
  settle?(environments: Policy[][]): HoverSubject;
}

/** A static value as source-like text (Python literals: settings values come from Python). */
function renderValue(value: StaticValue): string {
  switch (value.kind) {
    case 'str':
      return JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      return String(value.value);
    case 'none':
      return 'None';
    case 'list': {
      const items = value.items.map(renderValue).join(', ');
      return value.tuple ? `(${items}${value.items.length === 1 ? ',' : ''})` : `[${items}]`;
    }
    case 'dict':
      return `{${value.entries.map((e) => `${renderValue(e.key)}: ${renderValue(e.value)}`).join(', ')}}`;
    case 'regex':
      return `/${value.pattern}/${value.flags}`;
    case 'dynamic':
      return `<dynamic: ${value.reason}>`;
  }
}

const envDriven = (value: StaticValue): boolean =>
  ('envDriven' in value && value.envDriven === true) ||
  (value.kind === 'list' && value.items.some(envDriven));

/** The identifier under the cursor and its range, if any. */
function wordAt(doc: TextDocument, offset: number) {
  const text = doc.getText();
  let start = offset;
  let end = offset;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  while (end < text.length && /\w/.test(text[end])) end++;
  return start < end ? { word: text.slice(start, end), start, end } : undefined;
}

const settingIn = (policies: Policy[], name: string) => {
  for (const policy of policies) {
    const setting = factsOf(policy, 'django')?.settings.get(name);
    if (setting) return { policy, setting };
  }
  return undefined;
};

/** A Django `CORS_*` name: its effective value, from whichever settings file set it last. */
function djangoSetting(
  doc: TextDocument,
  offset: number,
  policies: Policy[],
  where: (span: Span) => string,
): HoverSubject | undefined {
  const at = wordAt(doc, offset);
  const found = at?.word.startsWith('CORS_') ? settingIn(policies, at.word) : undefined;
  if (!at || !found) return undefined;
  const { setting } = found;
  const header = [
    '```python',
    `${setting.name} = ${renderValue(setting.value)}`,
    '```',
    `Effective value, set in ${where(setting.statement)}.`,
  ];
  if (envDriven(setting.value))
    header.push('', "Comes from an environment variable's default: the deployed value may differ.");
  return {
    start: at.start,
    end: at.end,
    header,
    absent: "not set (the library's default)",
    valueIn: (others) => {
      const there = settingIn(others, at.word);
      return (
        there && {
          text: `\`${renderValue(there.setting.value)}\``,
          spans: [there.setting.statement],
          reads: there.policy.envReads ?? [],
        }
      );
    },
  };
}

/** The parts of a policy a hover explains, in the order a line is matched against them. */
const PARTS = ['origins', 'credentials', 'methods', 'headers', 'expose'] as const;
type Part = (typeof PARTS)[number];

const PART_LABELS: Record<Part, string> = {
  origins: 'Allowed origins',
  credentials: 'Credentials',
  methods: 'Allowed methods',
  headers: 'Allowed headers',
  expose: 'Exposed headers',
};

/** Where a part of a policy is written: the options holding it and its values. */
function partSpans(policy: Policy, part: Part): Span[] {
  const spans = (...refs: ({ span?: Span } | undefined)[]) =>
    refs.flatMap((r) => (r?.span ? [r.span] : []));
  switch (part) {
    case 'origins': {
      const o = policy.origins;
      return spans(
        o.listAt,
        o.allowAllAt,
        o.reflectAny,
        o.echoesConfigured,
        o.iteratedString,
        ...o.exact,
        ...o.regexes,
      );
    }
    case 'credentials':
      return spans(policy.credentialsAt);
    default:
      return spans(policy[part].at);
  }
}

const list = (items: string[]) => `\`[${items.join(', ')}]\``;

/** A part of a policy as the hover shows it. */
function renderPart(policy: Policy, part: Part): string {
  if (policy.inactive) return `no CORS headers (${policy.inactive.label})`;
  switch (part) {
    case 'origins': {
      const o = policy.origins;
      if (o.allowAll) return '`*` (every origin)';
      if (o.reflectAny) return 'any origin (reflected)';
      const items = [
        ...o.exact.map((e) => JSON.stringify(e.value)),
        ...o.regexes.map((r) => `/${r.pattern}/${r.flags ?? ''}`),
      ];
      const runtime = o.dynamic || o.echoesConfigured ? 'decided at run time' : '';
      if (!items.length) return runtime || 'none';
      return runtime ? `${list(items)}, and more ${runtime}` : list(items);
    }
    case 'credentials':
      return policy.credentials === 'dynamic' ? 'decided at run time' : `\`${policy.credentials}\``;
    default: {
      const names = policy[part];
      if (names.wildcard) return '`*` (any)';
      if (names.dynamic) return 'decided at run time';
      return list(names.names.map((n) => JSON.stringify(n)));
    }
  }
}

/** The policy among `others` that is `policy`'s setup: the same place, else the same index. */
function counterpart(policy: Policy, index: number, others: Policy[]): Policy | undefined {
  const at = policy.at;
  const same =
    at &&
    others.find(
      (p) => p.framework === policy.framework && p.at?.file === at.file && p.at.start === at.start,
    );
  return same || others[index] || (others.length === 1 ? others[0] : undefined);
}

/** One part of the policy at `index`, as a subject. */
function policyPart(
  policies: Policy[],
  index: number,
  part: Part,
  range: { start: number; end: number },
  candidates: readonly Part[],
): HoverSubject {
  const policy = policies[index];
  const valueIn = (others: Policy[], shown = part): SubjectValue | undefined => {
    const there = counterpart(policy, index, others);
    return (
      there && {
        text: renderPart(there, shown),
        spans: partSpans(there, shown),
        reads: there.envReads ?? [],
      }
    );
  };
  return {
    ...range,
    header: [`**${PART_LABELS[part]}**: ${renderPart(policy, part)}`],
    absent: 'no CORS setup',
    valueIn: (others) => valueIn(others),
    settle:
      candidates.length > 1
        ? (environments) => {
            const differs = (p: Part) =>
              new Set(environments.map((e) => valueIn(e, p)?.text)).size > 1;
            const chosen = candidates.find(differs) ?? candidates[0];
            return policyPart(policies, index, chosen, range, [chosen]);
          }
        : undefined,
  };
}

/** The part of a policy written on the cursor's line, or read there from the environment. */
function policyAtLine(
  doc: TextDocument,
  file: string,
  offset: number,
  policies: Policy[],
): HoverSubject | undefined {
  const text = doc.getText();
  const lineStart = doc.offsetAt({ line: doc.positionAt(offset).line, character: 0 });
  const lineEnd = text.indexOf('\n', lineStart) < 0 ? text.length : text.indexOf('\n', lineStart);
  const onLine = (span: Span) => span.file === file && span.start < lineEnd && span.end > lineStart;
  const indent = /^\s*/.exec(text.slice(lineStart, lineEnd))![0].length;
  const range = (span: Span) => ({
    start: Math.max(span.start, lineStart + indent),
    end: Math.min(span.end, lineEnd),
  });
  for (const [index, policy] of policies.entries())
    for (const part of PARTS) {
      const span = partSpans(policy, part).find(onLine);
      if (span) return policyPart(policies, index, part, range(span), [part]);
    }
  const lineText = text.slice(lineStart, lineEnd);
  for (const [index, policy] of policies.entries()) {
    // An option of the setup that names a value written elsewhere (`allow_origins=ORIGINS`).
    const named = policy.at && onLine(policy.at) && PARTS.find((p) => namedOn(policy, p, lineText));
    if (named) return policyPart(policies, index, named, range(policy.at!), [named]);
  }
  for (const [index, policy] of policies.entries()) {
    // An env read alone on its line (`ORIGINS = os.getenv(...)` used further down), or the
    // setup's first line (`app.add_middleware(`): whichever part differs between environments.
    const read = policy.envReads?.find((r) => onLine(r.span));
    const first = policy.at && onLine({ ...policy.at, end: policy.at.start + 1 });
    const setup = read?.span ?? (first ? policy.at : undefined);
    if (setup) return policyPart(policies, index, 'origins', range(setup), PARTS);
  }
  return undefined;
}

/** Whether `line` names the option that holds `part` (`allow_origins=`, `origin:`). */
function namedOn(policy: Policy, part: Part, line: string): boolean {
  const names =
    part === 'origins'
      ? [policy.origins.listAt?.label]
      : part === 'credentials'
        ? [policy.credentialsOption, policy.credentialsAt?.label]
        : [policy[part].option, policy[part].at?.label];
  return names.some(
    (name) => !!name && /^\w+$/.test(name) && new RegExp(`\\b${name}\\b\\s*[=:]`).test(line),
  );
}

/**
 * What the hover at `offset` explains: a Django setting by its name anywhere; any framework's
 * policy part by its line when `perEnvironment` (the project's environments differ: otherwise
 * the line says no more than the code). `where` names a span's file and line.
 */
export function hoverSubject(
  doc: TextDocument,
  file: string,
  offset: number,
  policies: Policy[],
  perEnvironment: boolean,
  where: (span: Span) => string,
): HoverSubject | undefined {
  return (
    djangoSetting(doc, offset, policies, where) ??
    (perEnvironment ? policyAtLine(doc, file, offset, policies) : undefined)
  );
}
