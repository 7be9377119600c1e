/**
 * django-configurations: settings written as class attributes (`class Base(Configuration)`,
 * `class Development(Base)`), the class in force named by `DJANGO_CONFIGURATION`, which
 * `manage.py`, `wsgi.py` and `asgi.py` default with `os.environ.setdefault(...)`. A `values.*Value`
 * attribute reads the environment variable `DJANGO_<NAME>` and falls back to its default.
 *
 * django-configurations is not packaged in Debian, so this reading cannot be run against it here:
 * it follows its source (jazzband/django-configurations: `configurations/base.py` collects the
 * upper-case attributes of the class and its bases; `values.py` gives a `Value` its default when
 * the variable is unset).
 */
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { spanOf } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import type { SourceTree } from '../../parsing/source-tree';
import { classAssignments, topLevelClasses } from '../../lang/python/classes';
import type { Setting, StaticValue } from '../../policy/types';

/** `DJANGO_CONFIGURATION` as an entry point defaults it. */
const CHOSEN = /DJANGO_CONFIGURATION['"]\s*,\s*['"](\w+)['"]/;
/** Entry points that choose the class, nearest first. */
const ENTRY_POINTS = ['manage.py', 'wsgi.py', 'asgi.py'];
/** A `values.*Value(...)` call: its first argument (or `default=`) is used when the variable is unset. */
const VALUE_CALL = /^(?:values\.)?[A-Z]\w*Value$/;

const basesOf = (cls: Node): string[] =>
  (cls.childForFieldName('superclasses')?.namedChildren ?? [])
    .filter((b): b is Node => !!b && (b.type === 'identifier' || b.type === 'attribute'))
    .map((b) => b.text);

/** How many bases deep a class is followed: real settings classes stand a few levels deep. */
const MAX_BASES = 32;

/** Whether a class is a Configuration (directly or through the module's own classes). */
function isConfiguration(
  classes: Map<string, Node>,
  name: string,
  seen = new Set<string>(),
): boolean {
  if (seen.has(name) || seen.size >= MAX_BASES) return false;
  seen.add(name);
  const cls = classes.get(name);
  return (
    !!cls &&
    basesOf(cls).some((b) => /(?:^|\.)Configuration$/.test(b) || isConfiguration(classes, b, seen))
  );
}

/** The class an entry point near the settings module names, else one named for production. */
function chosenClass(file: string, classes: Map<string, Node>, reader: SourceReader) {
  for (let dir = path.dirname(file), up = 0; up < 3; dir = path.dirname(dir), up++)
    for (const entry of ENTRY_POINTS) {
      const name = CHOSEN.exec(reader.read(path.join(dir, entry)) ?? '')?.[1];
      if (name && isConfiguration(classes, name)) return name;
    }
  return ['Production', 'Prod'].find((name) => isConfiguration(classes, name));
}

/** The class attributes in force, bases first (an earlier base wins over a later one, as in the MRO). */
function attributes(
  classes: Map<string, Node>,
  name: string,
  seen = new Set<string>(),
): Map<string, Node> {
  const out = new Map<string, Node>();
  const cls = classes.get(name);
  if (!cls || seen.has(name) || seen.size >= MAX_BASES) return out;
  seen.add(name);
  for (const base of [...basesOf(cls)].reverse())
    for (const [k, v] of attributes(classes, base, seen)) out.set(k, v);
  for (const { name: attribute, assignment } of classAssignments(cls))
    if (/^[A-Z][A-Z0-9_]*$/.test(attribute)) out.set(attribute, assignment);
  return out;
}

/** Marks a value as read from the environment (its default stands when the variable is unset). */
const fromEnvironment = (value: StaticValue): StaticValue =>
  value.kind === 'none' ||
  value.kind === 'dict' ||
  value.kind === 'dynamic' ||
  value.kind === 'regex'
    ? value
    : { ...value, envDriven: true };

/**
 * The settings of the Configuration class in force in a django-configurations settings module
 * (`wanted` ones only), or undefined when the module has none or none is chosen.
 */
export async function configurationSettings(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  wanted: (name: string) => boolean,
): Promise<{ settings: Map<string, Setting>; chosen: string } | undefined> {
  if (!/\bfrom\s+configurations\s+import\b|\bimport\s+configurations\b/.test(text))
    return undefined;
  const classes = topLevelClasses(tree);
  const chosen = chosenClass(file, classes, reader);
  if (!chosen) return undefined;
  const { evaluator } = await readModuleValues(file, text, tree, reader, () => true);
  const settings = new Map<string, Setting>();
  for (const [name, assignment] of attributes(classes, chosen)) {
    if (!wanted(name)) continue;
    const right = assignment.childForFieldName('right');
    if (!right) continue;
    const call =
      right.type === 'call' && VALUE_CALL.test(right.childForFieldName('function')?.text ?? '');
    const { positional, keywords } = call
      ? callArguments(right)
      : { positional: [], keywords: new Map() };
    const fallback = positional[0] ?? keywords.get('default')?.childForFieldName('value');
    const value = call
      ? fallback
        ? fromEnvironment(evaluator.evaluate(fallback)!)
        : ({ kind: 'none', span: spanOf(file, right) } as const)
      : evaluator.evaluate(right)!;
    settings.set(name, {
      name,
      value,
      statement: spanOf(file, assignment),
      nameSpan: spanOf(file, assignment.childForFieldName('left')!),
    });
  }
  return { settings, chosen };
}
