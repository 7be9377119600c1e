import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { parseText } from '../../parsing/parser';
import type { StaticValue } from '../../policy/types';
import { readEnv } from '../env-values';
import { PythonEvaluator, spanOf } from './evaluate';
import { nearbyPythonFiles } from './nearby-files';

/**
 * pydantic `BaseSettings` (pydantic-settings, or pydantic v1's) read statically, for
 * `settings.cors_origins` in a CORS setup when `settings` is an instance the code builds at run
 * time (`Settings()`, `get_settings()`, a dependency container). The classes are found by
 * searching the project's Python files that name `BaseSettings`, nearest folders first (bounded:
 * the project of the file, see `nearbyPythonFiles`); a member is
 * resolved when every settings class of the nearest folder that defines it agrees:
 * - a field `name: T = default` or `name: T = Field(default=...)`: the default, unless the
 *   environment sets `NAME` (pydantic matches the field name without case, after `env_prefix`);
 *   the value is env-driven either way, as the environment may override it.
 * - a `@property` returning an expression of the fields (`self.csv.split(",")`, a comprehension):
 *   the last `return` of its body, with its simple local assignments.
 */

/** One member of a settings class: a field's default or a property's body. */
type Member =
  | {
      kind: 'field';
      file: string;
      name: string;
      value: Node | null;
      prefix: string;
      /** A validator of the class rewrites what the field holds (`v.split(",")`). */
      validated?: boolean;
    }
  | { kind: 'property'; file: string; body: Node; fields: Map<string, Member> };

const lastName = (node: Node | null) => node?.text.replace(/\s+/g, '').split('.').pop() ?? '';

/** The classes of a module: name, base names (last dotted part) and body. */
function classesOf(root: Node): { name: string; bases: string[]; body: Node }[] {
  return root.descendantsOfType('class_definition').flatMap((cls) => {
    const body = cls?.childForFieldName('body');
    const name = cls?.childForFieldName('name')?.text;
    if (!cls || !body || !name) return [];
    const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) =>
      b && b.type !== 'keyword_argument' ? [lastName(b)] : [],
    );
    return [{ name, bases, body }];
  });
}

/** `env_prefix` of the class (`model_config = SettingsConfigDict(env_prefix=...)` or `class Config`). */
function envPrefix(body: Node): string {
  const match = body.text.match(/\benv_prefix\s*[=:]\s*['"]([^'"]*)['"]/);
  return match ? match[1] : '';
}

/** The fields and properties written in one class body. */
function membersOf(file: string, body: Node, prefix: string): Map<string, Member> {
  const members = new Map<string, Member>();
  const validatedNames = new Set<string>();
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const assignment =
      statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type === 'assignment') {
      const left = assignment.childForFieldName('left');
      if (left?.type === 'identifier' && left.text !== 'model_config')
        members.set(left.text, {
          kind: 'field',
          file,
          name: left.text,
          value: assignment.childForFieldName('right'),
          prefix,
        });
      continue;
    }
    if (statement.type !== 'decorated_definition') continue;
    const decorators = statement.namedChildren.filter((c) => c?.type === 'decorator');
    const fn = statement.childForFieldName('definition');
    const name = fn?.childForFieldName('name')?.text;
    const fnBody = fn?.childForFieldName('body');
    if (
      name &&
      fnBody &&
      decorators.some((d) => /^@\s*(?:property|computed_field)\b/.test(d!.text))
    )
      members.set(name, { kind: 'property', file, body: fnBody, fields: members });
    // `@field_validator("ORIGINS")` / `@validator("ORIGINS", pre=True)`: the field holds what the
    // validator returns, not its annotation's type (forestryTLS's `str` split into a list,
    // held-out batch 52; pydantic 2 keeps the validator's return value).
    for (const decorator of decorators) {
      const validator = /^@\s*(?:[\w.]+\.)?(?:field_validator|validator)\s*\(([^)]*)\)/.exec(
        decorator?.text ?? '',
      );
      for (const [, field] of validator?.[1].matchAll(/['"](\w+)['"]/g) ?? [])
        validatedNames.add(field);
    }
  }
  for (const field of validatedNames) {
    const member = members.get(field);
    if (member?.kind === 'field') member.validated = true;
  }
  return members;
}

/**
 * A field's default: `Field(default=...)` / `Field(...)`'s first argument, a `default_factory`
 * lambda's body, or the value itself.
 */
function defaultNode(value: Node): Node | null {
  if (value.type !== 'call' || lastName(value.childForFieldName('function')) !== 'Field')
    return value;
  const args = value.childForFieldName('arguments')?.namedChildren ?? [];
  const keyword = args.find(
    (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default',
  );
  if (keyword) return keyword.childForFieldName('value');
  // `Field(default_factory=lambda: ["*"])`: the lambda's body (MoviePilot, held-out batch 11).
  const factory = args.find(
    (a) =>
      a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default_factory',
  );
  const made = factory?.childForFieldName('value');
  if (made?.type === 'lambda') return made.childForFieldName('body');
  const first = args[0];
  return first && first.type !== 'keyword_argument' ? first : null;
}

/** The value a settings object has for one member, as far as it is known statically. */
function memberValue(member: Member, depth = 0): StaticValue | undefined {
  if (depth > 4) return undefined;
  if (member.kind === 'field') {
    if (!member.value) return undefined;
    if (member.validated)
      return {
        kind: 'dynamic',
        span: spanOf(member.file, member.value),
        reason: `a validator rewrites ${member.name}`,
      };
    const node = defaultNode(member.value);
    const evaluator = new PythonEvaluator(member.file, () => undefined);
    const fallback = node ? evaluator.evaluate(node) : undefined;
    const span = spanOf(member.file, member.value);
    // Noted without its default: no code names the variable (pydantic reads it implicitly), so
    // the finding belongs to the default's value (allow-all-origins at `= "*"`), not to a read.
    const set = readEnv(`${member.prefix}${member.name}`.toUpperCase(), span);
    // A list field set from the environment is parsed as JSON, as pydantic-settings does.
    const value =
      set?.kind === 'str' && fallback?.kind === 'list' ? jsonList(set) : (set ?? fallback);
    if (!value || value.kind === 'dynamic' || value.kind === 'none') return value;
    return envDriven(value);
  }
  // A property: the `return` its body takes, with `self.<member>` and simple locals known.
  const statements = member.body.namedChildren.filter((s): s is Node => !!s);
  const locals = new Map<string, Node>();
  for (const s of statements) {
    const a = s.type === 'expression_statement' ? s.namedChildren[0] : undefined;
    const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
    const right = a?.childForFieldName('right');
    if (left?.type === 'identifier' && right) locals.set(left.text, right);
  }
  const evaluator: PythonEvaluator = new PythonEvaluator(member.file, (name) => {
    const own = name.match(/^self\.(\w+)$/);
    if (own) {
      const field = member.fields.get(own[1]);
      return field ? memberValue(field, depth + 1) : undefined;
    }
    const local = locals.get(name);
    return local ? evaluator.evaluate(local) : undefined;
  });
  const returned = takenReturn(statements, evaluator);
  return evaluator.evaluate(returned?.namedChildren[0] ?? null);
}

/** The Python type names `isinstance` is asked about, by the kind of a value known statically. */
const TYPE_NAMES: Partial<Record<StaticValue['kind'], string[]>> = {
  str: ['str'],
  list: ['list', 'List', 'Sequence'],
  bool: ['bool', 'int'],
  int: ['int'],
};

/**
 * Whether `isinstance(x, T)` (or a tuple of types) holds for a value known statically; undefined
 * for any other condition or a value not known.
 */
function isinstanceHolds(condition: Node, evaluator: PythonEvaluator): boolean | undefined {
  const inner =
    condition.type === 'parenthesized_expression' ? condition.namedChildren[0] : condition;
  if (inner?.type !== 'call' || inner.childForFieldName('function')?.text !== 'isinstance')
    return undefined;
  const [subject, types] = inner.childForFieldName('arguments')?.namedChildren ?? [];
  const value = subject && evaluator.evaluate(subject);
  const names = TYPE_NAMES[value?.kind ?? 'dynamic'];
  if (!names || !types) return undefined;
  const asked = (types.type === 'tuple' ? types.namedChildren : [types]).map((t) => t?.text ?? '');
  return asked.some((t) => names.includes(t));
}

/**
 * The `return` a property's body takes: the first top-level one, after the `if isinstance(...)`
 * branches whose outcome the value says (`if isinstance(self.origins, str): return [...split]`
 * before `return self.origins`: legal-rag-system, held-out batch 36); else the last one.
 */
function takenReturn(statements: Node[], evaluator: PythonEvaluator): Node | undefined {
  for (const statement of statements) {
    if (statement.type === 'return_statement') return statement;
    if (statement.type !== 'if_statement') continue;
    const condition = statement.childForFieldName('condition');
    const holds = condition && isinstanceHolds(condition, evaluator);
    if (holds === undefined) break;
    const otherwise = statement.childForFieldName('alternative');
    if (!holds && otherwise && otherwise.type !== 'else_clause') break;
    const branch = holds
      ? statement.childForFieldName('consequence')
      : otherwise?.childForFieldName('body');
    const inBranch = branch?.namedChildren.find((s) => s?.type === 'return_statement');
    if (inBranch) return inBranch;
  }
  return [...statements].reverse().find((s) => s.type === 'return_statement');
}

/** An environment value of a list field: its JSON list of strings, else unknown. */
function jsonList(value: Extract<StaticValue, { kind: 'str' }>): StaticValue {
  try {
    const parsed: unknown = JSON.parse(value.value);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string'))
      return {
        kind: 'list',
        items: parsed.map((v: string) => ({ kind: 'str', value: v, span: value.span })),
        span: value.span,
      };
  } catch {
    // Not JSON: pydantic-settings refuses to start.
  }
  return { kind: 'dynamic', span: value.span, reason: 'a list setting the environment sets' };
}

/** A value marked as one the environment may override. */
function envDriven(value: StaticValue): StaticValue {
  if (value.kind === 'list')
    return { ...value, envDriven: true, items: value.items.map(envDriven) };
  if (value.kind === 'dynamic' || value.kind === 'none' || value.kind === 'dict') return value;
  return { ...value, envDriven: true };
}

/**
 * The values of `object.member` expressions (`settings.cors_origins`) that pydantic settings
 * classes of the project define, keyed by the expression as written (whitespace removed), and the
 * files read. `members`: the member names wanted, by expression.
 */
export async function pydanticSettingsValues(
  file: string,
  reader: SourceReader,
  wanted: Map<string, string>,
): Promise<{ values: Map<string, StaticValue>; files: string[] }> {
  const values = new Map<string, StaticValue>();
  if (wanted.size === 0) return { values, files: [] };
  const classes: { name: string; bases: string[]; body: Node; file: string }[] = [];
  const read: string[] = [];
  const used = new Set<string>();
  const trees = [];
  try {
    // Nearest first: a member is taken from the nearest folder that defines it (a monorepo's
    // other services may define the same name).
    for (const level of nearbyPythonFiles(file, reader)) {
      for (const candidate of level) {
        const text = reader.read(candidate);
        if (!text || !/\bBaseSettings\b/.test(text)) continue;
        const tree = await parseText('python', text);
        trees.push(tree);
        read.push(candidate);
        for (const r of tree.roots)
          classes.push(...classesOf(r).map((c) => ({ ...c, file: candidate })));
      }
      resolve(classes, wanted, values, used);
      if (values.size === wanted.size) break;
    }
    return { values, files: read.filter((f) => used.has(f)) };
  } finally {
    for (const tree of trees) tree.delete();
  }
}

/** Resolves the wanted members not yet known from the settings classes found so far. */
function resolve(
  classes: { name: string; bases: string[]; body: Node; file: string }[],
  wanted: Map<string, string>,
  values: Map<string, StaticValue>,
  used: Set<string>,
): void {
  // Settings classes: those deriving from BaseSettings, directly or through another of them.
  const settings = new Set<string>(['BaseSettings']);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of classes)
      if (!settings.has(c.name) && c.bases.some((b) => settings.has(b))) {
        settings.add(c.name);
        grew = true;
      }
  }
  const settingsClasses = classes.filter((c) => settings.has(c.name) && c.name !== 'BaseSettings');
  const members = settingsClasses.map((c) => membersOf(c.file, c.body, envPrefix(c.body)));
  const byName = new Map(classes.map((c) => [c.name, c]));
  for (const [expression, name] of wanted) {
    if (values.has(expression)) continue;
    // `settings.security.cors_origins`: a member of the model a settings field holds
    // (`security: SecuritySettings = SecuritySettings()`: tilecloud-chain, held-out batch 23).
    const holder = /\.(\w+)(?:\(\))?\.\w+$/.exec(expression)?.[1];
    const nested = holder
      ? settingsClasses.flatMap((c) => {
          const model = byName.get(fieldType(c.body, holder) ?? '');
          return model ? [{ model, prefix: `${envPrefix(c.body)}${holder}__` }] : [];
        })
      : [];
    const found = (
      nested.length
        ? nested.map(({ model, prefix }) => membersOf(model.file, model.body, prefix))
        : members
    ).flatMap((m) => {
      const member = m.get(name);
      return member ? [member] : [];
    });
    const resolved = found.map((m) => memberValue(m));
    const first = resolved[0];
    if (
      !first ||
      resolved.some((v) => !v || JSON.stringify(strip(v)) !== JSON.stringify(strip(first)))
    )
      continue;
    values.set(expression, first);
    for (const m of found) used.add(m.file);
  }
}

/** The class a field of a class body is annotated with (`security: SecuritySettings = ...`). */
function fieldType(body: Node, field: string): string | undefined {
  for (const statement of body.namedChildren) {
    const assignment =
      statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== field)
      continue;
    const type = assignment.childForFieldName('type')?.text.replace(/\s+/g, '');
    return type && /^[\w.]+$/.test(type) ? type.split('.').pop() : undefined;
  }
  return undefined;
}

/** A value without its spans, to compare what two classes define. */
function strip(value: StaticValue): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'span' ? undefined : v)));
}
