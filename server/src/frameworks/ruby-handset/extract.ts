/**
 * Rails controllers (`class X < ApplicationController` / `ActionController::API|Base`) that set
 * CORS headers by hand in callbacks and actions: one policy per controller.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { assignmentsOfRoots, RubyEvaluator, spanOf } from '../../lang/ruby/evaluate';
import { headerWrites, inlineHelpers, RubyHandsetReader } from '../../lang/ruby/handset';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';
import type { RailsAction, RailsCallback, RubyHandsetFacts } from './facts';
import { neutralPolicy } from './neutral';

const CONTROLLER = /Controller$|^ActionController::(API|Base)$/;

/** The names of a `only:`/`except:` value (`:show`, `[:show, :index]`, `%i[show]`). */
function actionNames(node: Node | null | undefined): string[] {
  if (!node) return [];
  return (node.text.match(/:?\b[a-z_]\w*[!?]?/g) ?? [])
    .map((n) => n.replace(/^:/, ''))
    .filter((n) => n !== 'i' && n !== 'w');
}

function controllerFacts(
  file: string,
  cls: Node,
  reader: RubyHandsetReader,
): RubyHandsetFacts | undefined {
  const body = cls.childForFieldName('body');
  if (!body) return undefined;
  const methods = new Map<string, Node>();
  const publicMethods: Node[] = [];
  let isPrivate = false;
  for (const child of body.namedChildren) {
    if (!child) continue;
    if (child.type === 'identifier' && ['private', 'protected'].includes(child.text))
      isPrivate = true;
    if (child.type === 'method') {
      methods.set(child.childForFieldName('name')?.text ?? '', child);
      if (!isPrivate) publicMethods.push(child);
    }
  }
  const stepsOf = (method: Node) =>
    inlineHelpers(reader.steps(method.childForFieldName('body') ?? method), methods, reader);
  const callbacks: RailsCallback[] = [];
  for (const child of body.namedChildren) {
    if (child?.type !== 'call' || child.childForFieldName('receiver')) continue;
    // `prepend_before_action` runs before the inherited callbacks, `append_` is the plain form.
    const kind = /^(?:prepend_|append_)?(before|after)_action$/.exec(
      child.childForFieldName('method')?.text ?? '',
    )?.[1] as 'before' | 'after' | undefined;
    if (!kind) continue;
    const args =
      child.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const pairs = args.flatMap((a) => (a.type === 'pair' ? [a] : []));
    const option = (name: string) =>
      pairs
        .find((p) => p.childForFieldName('key')?.text.replace(/:$/, '') === name)
        ?.childForFieldName('value');
    for (const arg of args.filter((a) => a.type === 'simple_symbol')) {
      const method = methods.get(arg.text.slice(1));
      if (!method) continue;
      callbacks.push({
        stage: kind,
        name: arg.text.slice(1),
        only: option('only') ? actionNames(option('only')) : undefined,
        except: option('except') ? actionNames(option('except')) : undefined,
        steps: stepsOf(method),
        span: spanOf(file, child),
      });
    }
  }
  const actions: RailsAction[] = publicMethods.map((m) => ({
    name: m.childForFieldName('name')?.text ?? '',
    steps: stepsOf(m),
    span: spanOf(file, m),
  }));
  const writes = [...callbacks, ...actions].some((h) =>
    headerWrites(h.steps).some(({ header }) => /^access-control-/i.test(header.name)),
  );
  return writes
    ? { controller: cls.childForFieldName('name')?.text ?? '', callbacks, actions }
    : undefined;
}

export async function extractRubyHandset(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  if (!/access-control-/i.test(text) || /sinatra/i.test(text)) return [];
  // A long file is parsed in segments: read every root.
  const roots = tree.roots;
  const lookup = assignmentsOfRoots(roots);
  const reader = new RubyHandsetReader(file, new RubyEvaluator(file, lookup));
  const policies: Policy[] = [];
  for (const cls of roots.flatMap((r) => r.descendantsOfType('class'))) {
    if (
      !cls ||
      !CONTROLLER.test(cls.childForFieldName('superclass')?.text.replace(/^<\s*/, '') ?? '')
    )
      continue;
    const facts = controllerFacts(file, cls, reader);
    if (facts) policies.push(neutralPolicy(file, text, facts, spanOf(file, cls)));
  }
  return policies;
}
