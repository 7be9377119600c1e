/**
 * graphql-yoga's `createYoga({ cors, graphqlEndpoint })`: one policy per call in a module that
 * imports `graphql-yoga`, whatever server it is later handed to (node:http, Express, Fastify,
 * Next.js, Bun): yoga answers with its own CORS headers. Without a `cors` option it echoes every
 * origin with credentials; `cors: false` sends none (no policy).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import {
  type NameList,
  type Policy,
  type Span,
  type StaticValue,
  noOrigins,
} from '../../policy/types';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { firstArgument, optionEntries, type JsOption } from '../../lang/javascript/options-object';
import type { GraphqlYogaFacts, YogaOriginMode } from './facts';

const IMPORTS_YOGA = /(?:from\s*|require\(\s*)['"]graphql-yoga['"]/;

/** The strings of a string or an all-string list; undefined otherwise. */
function strings(value: StaticValue | undefined): string[] | undefined {
  if (value?.kind === 'str') return [value.value];
  if (value?.kind !== 'list' || value.items.some((i) => i.kind !== 'str')) return undefined;
  return value.items.map((i) => (i as { value: string }).value);
}

/**
 * `origin` as yoga reads it (`useCORS`): absent, empty, or holding `*` (a string anywhere in it,
 * a list as an entry) echoes the request's; one value is sent to everyone.
 */
function originMode(option: JsOption | undefined): YogaOriginMode {
  const value = option?.value;
  if (!value || value.kind === 'none') return { kind: 'echo' };
  if (value.kind === 'str')
    return !value.value || value.value.includes('*')
      ? { kind: 'echo' }
      : { kind: 'fixed', value: value.value };
  const values = strings(value);
  if (!values) return { kind: 'dynamic' };
  if (!values.length || values.includes('*')) return { kind: 'echo' };
  return values.length === 1 ? { kind: 'fixed', value: values[0] } : { kind: 'list', values };
}

/** A list option as yoga sends it (`join(', ')`); an empty list is not sent. */
function joined(option: JsOption | undefined): { value?: string; dynamic: boolean } {
  if (!option) return { dynamic: false };
  const values = strings(option.value);
  if (!values) return { dynamic: true };
  return { value: values.length ? values.join(', ') : undefined, dynamic: false };
}

/** A list option as the neutral policy reads it. */
function nameList(option: JsOption | undefined, name: string): NameList {
  const read = joined(option);
  const names = read.value?.split(', ') ?? [];
  return {
    names: names.filter((n) => n !== '*'),
    wildcard: names.includes('*'),
    dynamic: read.dynamic,
    option: name,
    ...(option ? { at: { span: option.pair, label: `${name} (graphql-yoga cors)` } } : {}),
  };
}

/** The policy of one `createYoga(options)` call; undefined when its CORS is off or unreadable. */
function policyOf(js: JsEvaluator, call: Node): Policy | undefined {
  const at = spanOf(js.file, call);
  const options = optionEntries(js, firstArgument(call));
  if (!options) return undefined;
  const cors = options.get('cors');
  if (cors && unwrap(cors.node ?? call).type === 'false') return undefined;
  // `cors: true` is yoga's defaults, as no option is.
  const fields =
    cors && cors.value.kind !== 'bool' ? optionEntries(js, cors.node) : new Map<string, JsOption>();
  const endpoint = options.get('graphqlEndpoint')?.value;
  const health = options.get('healthCheckEndpoint')?.value;
  const origins = noOrigins();
  const mode: YogaOriginMode = fields ? originMode(fields.get('origin')) : { kind: 'dynamic' };
  const originAt = fields?.get('origin')?.pair ?? cors?.pair ?? at;
  const written = fields?.get('origin')?.node?.text.replace(/\s+/g, ' ');
  const label = written
    ? `graphql-yoga's cors origin: ${written.length > 60 ? `${written.slice(0, 57)}...` : written}`
    : cors
      ? 'graphql-yoga cors without origin'
      : 'createYoga without a cors option';
  if (mode.kind === 'echo') origins.reflectAny = { span: originAt, label };
  else if (mode.kind === 'fixed') origins.exact.push({ value: mode.value, span: originAt });
  else if (mode.kind === 'list') {
    mode.values.forEach((value) => origins.exact.push({ value, span: originAt }));
    origins.listAt = { span: originAt, label };
  } else origins.dynamic = true;
  const credentials = fields?.get('credentials')?.value;
  const credentialsKnown = credentials?.kind === 'bool' ? credentials.value : undefined;
  const maxAge = fields?.get('maxAge')?.value;
  const facts: GraphqlYogaFacts = {
    origin: mode,
    credentials: credentialsKnown,
    methods: joined(fields?.get('methods')).value,
    allowedHeaders: joined(fields?.get('allowedHeaders')).value,
    // Unlike the other lists, an empty one is sent (as an empty value): yoga tests it for truth.
    exposedHeaders:
      joined(fields?.get('exposedHeaders')).value ??
      (strings(fields?.get('exposedHeaders')?.value)?.length === 0 ? '' : undefined),
    maxAge: maxAge?.kind === 'int' && maxAge.value ? String(maxAge.value) : undefined,
    endpoint: endpoint?.kind === 'str' && endpoint.value ? endpoint.value : '/graphql',
    healthEndpoint: health?.kind === 'str' && health.value ? health.value : '/health',
  };
  const credentialsOn = credentials === undefined ? true : (credentialsKnown ?? 'dynamic');
  const credentialsAt: Span = fields?.get('credentials')?.pair ?? cors?.pair ?? at;
  return {
    framework: 'graphql-yoga',
    file: js.file,
    files: [js.file],
    at,
    configured: true,
    origins,
    credentials: fields ? credentialsOn : 'dynamic',
    ...(credentialsOn === true
      ? {
          credentialsAt: {
            span: credentialsAt,
            label: credentials ? 'credentials: true' : 'graphql-yoga credentials (on by default)',
          },
        }
      : {}),
    credentialsOption: 'credentials',
    methods: nameList(fields?.get('methods'), 'methods'),
    headers: nameList(fields?.get('allowedHeaders'), 'allowedHeaders'),
    expose: nameList(fields?.get('exposedHeaders'), 'exposedHeaders'),
    maxAge: facts.maxAge ? Number(facts.maxAge) : maxAge ? 'dynamic' : null,
    urlRegex: null,
    allowPrivateNetwork: false,
    samplePath: facts.endpoint,
    facts,
  };
}

/** The yoga servers a module creates (none when it does not import graphql-yoga). */
export async function extractYoga(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  if (!IMPORTS_YOGA.test(text) || !/\bcreateYoga\s*\(/.test(text)) return [];
  const js = new JsEvaluator(file, tree.root);
  return tree.root
    .descendantsOfType('call_expression')
    .filter(
      (call): call is Node =>
        !!call && !call.hasError && call.childForFieldName('function')?.text === 'createYoga',
    )
    .flatMap((call) => policyOf(js, call) ?? []);
}
