/**
 * NestJS: one policy per CORS setup of a bootstrap file (`app.enableCors(options?)`,
 * `NestFactory.create(AppModule, [adapter,] { cors: true | options })`), read with the `cors`
 * 2.8 option reader Nest's Express adapter hands them to (the Fastify adapter's `@fastify/cors`
 * reads the same keys with its own defaults), and one per route handler whose `@Header(...)`
 * decorators set `Access-Control-*` lines.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy, Span } from '../../policy/types';
import type { NestCorsFacts } from './facts';
import { JsEvaluator, jsStringValue, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { memberCalls } from '../../lang/javascript/member-calls';
import { readCorsOptions } from '../../lang/javascript/cors-package/options';
import { fastifyFields } from './fastify-options';
import { headerPolicies } from './header-decorators';

const args = (call: Node): Node[] =>
  (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'comment',
  );

/**
 * The function a call calls. With type arguments, tree-sitter-typescript reads
 * `await NestFactory.create<T>(...)` as a call of `await NestFactory.create`: look inside.
 */
function callee(call: Node): Node | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'await_expression' ? (fn.namedChildren[0] ?? null) : fn;
}

/**
 * The adapter a create call names: `new FastifyAdapter()`, `create<NestFastifyApplication>`, else
 * the file's platform import.
 */
function adapterOf(call: Node, text: string): 'express' | 'fastify' {
  const written = call.text;
  if (/\bFastifyAdapter\b|NestFastifyApplication/.test(written)) return 'fastify';
  if (/\bExpressAdapter\b|NestExpressApplication/.test(written)) return 'express';
  return /@nestjs\/platform-fastify/.test(text) && !/@nestjs\/platform-express/.test(text)
    ? 'fastify'
    : 'express';
}

/** The `cors` entry of `NestFactory.create`'s options: `true`, an options value, or absent. */
function corsEntry(js: JsEvaluator, call: Node): { value: Node; pair: Node } | undefined {
  const last = args(call)
    .slice(1)
    .reverse()
    .find((a) => js.resolveNode(a).type === 'object');
  const object = last && js.resolveNode(last);
  for (const pair of object?.namedChildren ?? []) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const name = key && (key.type === 'string' ? jsStringValue(key) : key.text);
    const value = pair.childForFieldName('value');
    if (name === 'cors' && value) return { value, pair };
  }
  return undefined;
}

/** The variable a create call's app is bound to (`const app = await NestFactory.create(...)`). */
function appName(call: Node): string | undefined {
  let node: Node | null = call.parent;
  while (
    node &&
    (node.type === 'await_expression' ||
      node.type === 'parenthesized_expression' ||
      node.type === 'as_expression')
  )
    node = node.parent;
  const name = node?.type === 'variable_declarator' ? node.childForFieldName('name') : null;
  return name?.type === 'identifier' ? name.text : undefined;
}

/** One policy from an options node (undefined: `cors()` defaults), or none when the options cannot be read. */
function policyOf(
  js: JsEvaluator,
  file: string,
  options: Node | undefined,
  at: Span,
  adapter: 'express' | 'fastify',
  corsTrue?: Span,
): Policy | undefined {
  const fields = readCorsOptions(js, options, at);
  if (!fields) return undefined;
  const fastify = adapter === 'fastify' ? fastifyFields(js, options) : undefined;
  const facts: NestCorsFacts = { kind: 'cors', adapter, options: fields.facts, fastify, corsTrue };
  const allowAllAt = fields.policy.origins.allowAllAt;
  // The shared reader names `cors()`; in Nest the call is `enableCors` or the create options.
  if (allowAllAt?.label.startsWith('cors() without'))
    fields.policy.origins.allowAllAt = { ...allowAllAt, label: 'CORS options without an origin' };
  const policy: Policy = {
    framework: 'nestjs',
    file,
    files: [file],
    at,
    configured: true,
    ...fields.policy,
    urlRegex: null,
    allowPrivateNetwork: false,
    facts,
  };
  if (fastify) {
    // `@fastify/cors` has its own default methods and sends lists joined with `, `.
    policy.methods = {
      ...policy.methods,
      names: fastify.methods
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    };
    // `origin: ['*', ...]` is `*` to the plugin.
    if (policy.origins.exact.some((o) => o.value === '*'))
      policy.origins = { ...policy.origins, allowAll: true, allowAllAt: policy.origins.listAt };
  }
  return policy;
}

/** The NestJS CORS policies of a module (none when it names no `@nestjs/` package). */
export async function extractNest(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  if (!/@nestjs\//.test(text)) return [];
  const root = tree.root;
  const js = new JsEvaluator(file, root);
  const policies: Policy[] = [];
  const apps = new Map<string, 'express' | 'fastify'>();
  let fileAdapter: 'express' | 'fastify' | undefined;
  for (const call of memberCalls(root, text, ['create'])) {
    if (call.hasError || callee(call)?.childForFieldName('object')?.text !== 'NestFactory')
      continue;
    const adapter = adapterOf(call, text);
    fileAdapter ??= adapter;
    const name = appName(call);
    if (name) apps.set(name, adapter);
    const entry = corsEntry(js, call);
    if (!entry) continue;
    const value = unwrap(entry.value);
    if (value.type === 'true') {
      const policy = policyOf(
        js,
        file,
        undefined,
        spanOf(file, entry.pair),
        adapter,
        spanOf(file, entry.pair),
      );
      if (policy)
        policies.push({
          ...policy,
          origins: {
            ...policy.origins,
            allowAllAt: { span: spanOf(file, entry.pair), label: 'cors: true' },
          },
        });
    } else if (value.type !== 'false') {
      const policy = policyOf(js, file, entry.value, spanOf(file, entry.value), adapter);
      if (policy) policies.push(policy);
    }
  }
  for (const call of memberCalls(root, text, ['enableCors'])) {
    if (call.hasError) continue;
    const receiver = callee(call)?.childForFieldName('object')?.text ?? '';
    const adapter = apps.get(receiver) ?? fileAdapter ?? adapterOf(call, text);
    const [options] = args(call);
    const policy = policyOf(js, file, options, spanOf(file, call), adapter);
    if (!policy) continue;
    if (!options)
      policy.origins = {
        ...policy.origins,
        allowAllAt: { span: spanOf(file, call), label: `${receiver}.enableCors() without options` },
      };
    policies.push(policy);
  }
  policies.push(...headerPolicies(js, file, root));
  return policies;
}
