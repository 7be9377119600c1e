/**
 * `@Header('Access-Control-Allow-Origin', '*')` on a controller method: Nest sets the line on
 * every answer of that route. One policy per method, with the route's HTTP methods (`@Get`,
 * `@All`...) read from its other decorators.
 */
import type { Node } from 'web-tree-sitter';
import type { OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import type { NestCorsFacts } from './facts';
import { type JsEvaluator, spanOf } from '../../lang/javascript/evaluate';
import { headerValueNames } from '../../lang/handset-policy';

const ROUTE_DECORATORS: Record<string, string[] | 'all'> = {
  Get: ['GET', 'HEAD'],
  Post: ['POST'],
  Put: ['PUT'],
  Delete: ['DELETE'],
  Patch: ['PATCH'],
  Options: ['OPTIONS'],
  Head: ['HEAD'],
  All: 'all',
};

interface HeaderCall {
  name: string;
  value: string;
  call: Node;
}

/** `Header('A', 'b')` with two strings. */
function headerCall(js: JsEvaluator, call: Node | null | undefined): HeaderCall | undefined {
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'Header')
    return undefined;
  const [name, value] = (call.childForFieldName('arguments')?.namedChildren ?? [])
    .filter((a): a is Node => !!a && a.type !== 'comment')
    .map((a) => js.evaluate(a));
  return name?.kind === 'str' && value?.kind === 'str'
    ? { name: name.value, value: value.value, call }
    : undefined;
}

/** The decorators stacked on one method and the method they decorate. */
function decoratedMethods(root: Node): { decorators: Node[]; method: Node }[] {
  const out: { decorators: Node[]; method: Node }[] = [];
  for (const body of root.descendantsOfType('class_body')) {
    let pending: Node[] = [];
    for (const child of body?.namedChildren ?? []) {
      if (!child) continue;
      if (child.type === 'decorator') pending.push(child);
      else if (child.type === 'method_definition') {
        out.push({
          decorators: [
            ...pending,
            ...child.namedChildren.filter((c): c is Node => c?.type === 'decorator'),
          ],
          method: child,
        });
        pending = [];
      } else pending = [];
    }
  }
  return out;
}

function policyOf(
  file: string,
  lines: HeaderCall[],
  methods: string[] | 'all',
  method: Span,
): Policy {
  const origins: OriginPolicy = noOrigins();
  const find = (name: string) => lines.find((l) => l.name.toLowerCase() === name);
  const origin = find('access-control-allow-origin');
  const at = (line: HeaderCall): SourceRef => ({
    span: spanOf(file, line.call),
    label: `@${line.call.text}`,
  });
  if (origin?.value === '*') Object.assign(origins, { allowAll: true, allowAllAt: at(origin) });
  else if (origin) origins.exact.push({ value: origin.value, span: spanOf(file, origin.call) });
  const list = (name: string) => {
    const line = find(name);
    return {
      ...headerValueNames([line?.value ?? '']),
      dynamic: false,
      at: line && at(line),
    };
  };
  const credentials = find('access-control-allow-credentials');
  const maxAge = find('access-control-max-age')?.value;
  const facts: NestCorsFacts = {
    kind: 'header',
    lines: lines.map((l) => [l.name, l.value]),
    method,
    methods,
  };
  return {
    framework: 'nestjs',
    file,
    files: [file],
    at: method,
    configured: true,
    handSet: true,
    origins,
    credentials: credentials?.value.toLowerCase() === 'true',
    credentialsAt: credentials && at(credentials),
    methods: list('access-control-allow-methods'),
    headers: list('access-control-allow-headers'),
    expose: list('access-control-expose-headers'),
    maxAge: maxAge && /^\d+$/.test(maxAge) ? Number(maxAge) : null,
    urlRegex: null,
    allowPrivateNetwork: false,
    varyAt: null,
    facts,
  };
}

/** The `@Header('Access-Control-*', ...)` policies of a module. */
export function headerPolicies(js: JsEvaluator, file: string, root: Node): Policy[] {
  const policies: Policy[] = [];
  for (const { decorators, method } of decoratedMethods(root)) {
    const lines = decorators
      .map((d) => headerCall(js, d.namedChildren[0]))
      .filter((h): h is HeaderCall => !!h && /^access-control-/i.test(h.name));
    if (!lines.length) continue;
    const routes = decorators.map(
      (d) => ROUTE_DECORATORS[d.namedChildren[0]?.childForFieldName('function')?.text ?? ''] ?? [],
    );
    const methods = routes.includes('all')
      ? 'all'
      : [...new Set(routes.flatMap((r) => (r === 'all' ? [] : r)))];
    policies.push(policyOf(file, lines, methods, spanOf(file, method)));
  }
  return policies;
}
