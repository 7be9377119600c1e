/**
 * The `cors` 2.8 options object (written for Express, or handed to it by NestJS's
 * `enableCors`) → the neutral policy's fields and the values the library sends
 * verbatim. Mirrors `cors/lib/index.js`: options merged over the defaults with `Object.assign`
 * (so an `origin` key present but falsy turns CORS off, an absent one means `*`), arrays joined
 * with `,`, strings sent as written, `allowedHeaders` (or `headers`) unset mirrors the request.
 */
import type { Node } from 'web-tree-sitter';
import type { CorsPackageOptions } from './types';
import type {
  CorsFields,
  OriginPolicy,
  Policy,
  SourceRef,
  Span,
  StaticValue,
} from '../../../policy/types';
import { noOrigins } from '../../../policy/types';
import { type JsEvaluator, spanOf, truthy, unwrap } from '../evaluate';
import { readOriginFunction } from './origin-function';
import { nested } from '../../nesting';
import { isFunctionNode, type JsOption, optionEntries } from '../options-object';
import { ignoredOptions, type OptionNames, SHARED_NEAR, SHARED_WITHOUT } from '../ignored-options';
import {
  addOriginItems,
  credentialsOnAt,
  envDriven,
  everyOrigin,
  oneOrigin,
  namesSent,
  optionRef,
  sentText,
  trueFallback,
} from '../middleware-options';

const DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

/** What the options say, before the app's layers are added: neutral fields and the library's own. */
export interface CorsOptionFields {
  policy: CorsFields & Pick<Policy, 'ignoredOptions' | 'unusedOptionsAt'>;
  facts: CorsPackageOptions;
}

/** The cors package's option names (`lib/index.js`: `headers` is its alias of `allowedHeaders`). */
const CORS_OPTIONS: OptionNames = {
  library: 'the cors package',
  without: {
    origin: SHARED_WITHOUT.origin,
    credentials: SHARED_WITHOUT.credentials,
    allowedHeaders: SHARED_WITHOUT.allowed,
    exposedHeaders: SHARED_WITHOUT.exposed,
    methods: 'its preflights allow its default methods (GET,HEAD,PUT,PATCH,POST,DELETE)',
    maxAge: SHARED_WITHOUT.maxAge,
  },
  others: ['headers', 'preflightContinue', 'optionsSuccessStatus'],
  near: {
    ...SHARED_NEAR,
    allowheaders: 'allowedHeaders',
    allowheader: 'allowedHeaders',
    allowedheader: 'allowedHeaders',
    allow_headers: 'allowedHeaders',
    exposeheaders: 'exposedHeaders',
    exposeheader: 'exposedHeaders',
    exposedheader: 'exposedHeaders',
    expose_headers: 'exposedHeaders',
    allowmethods: 'methods',
    allowedmethods: 'methods',
    method: 'methods',
  },
};

type OriginFields = { origins: OriginPolicy; origin: CorsPackageOptions['origin'] };

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=', 'instanceof', 'in']);
const PREDICATES = new Set(['startsWith', 'endsWith', 'includes', 'test', 'has', 'some', 'every']);

const ENVIRONMENT = /\bprocess\.env\b|\bimport\.meta\.env\b|\bDeno\.env\b/;

/** Whether an expression reads the environment, itself or through the names it uses (one hop). */
function readsEnvironment(js: JsEvaluator, node: Node): boolean {
  if (ENVIRONMENT.test(node.text)) return true;
  return node
    .descendantsOfType('identifier')
    .slice(0, 20)
    .some((id) => !!id && id !== node && ENVIRONMENT.test(js.resolveNode(id).text));
}

/**
 * Whether an expression not known statically is still true or false whatever it reads
 * (`url.startsWith('https://')`, `env === 'production'`, `!local`): as `origin`, it is then
 * `origin: true` (every Origin echoed) on the runs where it holds, CORS off on the others.
 */
function isBooleanValued(node: Node): boolean {
  return nested(
    () => booleanValued(unwrap(node)),
    () => false,
  );
}

/**
 * Whether an expression is a string or nothing, whatever it holds at run time: an environment
 * read (`process.env.X`), a template or a concatenation, or a choice between such (`a ? '*' :
 * \`${host}\``, `process.env.X || 'http://localhost:3000'`). The `cors` package sends a non-empty
 * string `origin` as it is on every response; undefined or empty, it sends nothing at all.
 */
function isStringValued(node: Node): boolean {
  return nested(
    () => stringValued(unwrap(node)),
    () => false,
  );
}

function stringValued(value: Node): boolean {
  if (value.type === 'string' || value.type === 'template_string') return true;
  if (value.type === 'member_expression')
    return /^process\.env$/.test(value.childForFieldName('object')?.text ?? '');
  if (value.type === 'subscript_expression')
    return /^process\.env$/.test(value.childForFieldName('object')?.text ?? '');
  if (value.type === 'ternary_expression') {
    const [yes, no] = [
      value.childForFieldName('consequence'),
      value.childForFieldName('alternative'),
    ];
    return !!yes && !!no && isStringValued(yes) && isStringValued(no);
  }
  return (
    value.type === 'binary_expression' && eachOperand(value, ['+', '||', '??'], isStringValued)
  );
}

/** Whether `value` is `left OP right` with OP among `operators` and both operands passing `test`. */
function eachOperand(value: Node, operators: string[], test: (operand: Node) => boolean): boolean {
  const operator = value.childForFieldName('operator')?.text ?? '';
  const [left, right] = [value.childForFieldName('left'), value.childForFieldName('right')];
  return operators.includes(operator) && !!left && !!right && test(left) && test(right);
}

function booleanValued(value: Node): boolean {
  if (value.type === 'unary_expression') return value.childForFieldName('operator')?.text === '!';
  if (value.type === 'true' || value.type === 'false') return true;
  if (value.type === 'binary_expression')
    return (
      COMPARISONS.has(value.childForFieldName('operator')?.text ?? '') ||
      eachOperand(value, ['&&', '||', '??'], isBooleanValued)
    );
  if (value.type !== 'call_expression') return false;
  const fn = value.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text === 'Boolean';
  return (
    fn?.type === 'member_expression' && PREDICATES.has(fn.childForFieldName('property')?.text ?? '')
  );
}

/** `cors` joins arrays with `,` and sends strings as they are; undefined when unset or empty. */
const joinedOption = (value: StaticValue | undefined) => sentText(value, ',', true);

/** The origin option: the neutral allowlist and the library's mode. */
function originFields(js: JsEvaluator, option: JsOption | undefined, callSpan: Span): OriginFields {
  const origins: OriginPolicy = noOrigins();
  if (!option)
    return {
      origins: everyOrigin({ span: callSpan, label: 'cors() without an origin option' }),
      origin: { kind: 'any' },
    };
  const { value } = option;
  const at = (label: string): SourceRef => ({ span: option.pair, label });
  const env = envDriven(value);
  const fnNode = option.node && js.resolveNode(option.node);
  if (fnNode && isFunctionNode(unwrap(fnNode))) {
    const read = readOriginFunction(js, unwrap(fnNode));
    const base = {
      ...origins,
      exact: read.exact,
      regexes: read.regexes,
      dynamic: read.dynamic,
      envDriven: read.envDriven,
      ...(read.iteratedString ? { iteratedString: read.iteratedString } : {}),
      listAt: at('origin'),
    };
    return {
      origins: read.reflectsAny ? { ...base, reflectAny: at('The origin function') } : base,
      origin: read.mode,
    };
  }
  if (value.kind === 'str' && value.value === '*')
    return {
      origins: everyOrigin(at(`origin: '*'`), env),
      origin: { kind: 'any' },
    };
  if (value.kind === 'str' && value.value)
    return {
      origins: oneOrigin(value, at('origin')),
      origin: { kind: 'fixed', value: value.value },
    };
  if (value.kind === 'bool' && value.value)
    return {
      origins: { ...origins, reflectAny: at('origin: true') },
      origin: { kind: 'match', reject: 'omit', allowMissing: true },
    };
  // Read from the environment, the value differs by environment: the environments' own
  // extraction decides it (a `NODE_ENV !== 'production'` switch is not an every-run echo).
  if (
    value.kind === 'dynamic' &&
    fnNode &&
    isBooleanValued(fnNode) &&
    !readsEnvironment(js, fnNode)
  )
    return {
      origins: {
        ...origins,
        envDriven: env,
        reflectAny: at(`origin: ${option.node?.text ?? ''}, when true,`),
      },
      origin: { kind: 'match', reject: 'omit', allowMissing: true },
    };
  const fallback = value.kind === 'dynamic' && fnNode ? trueFallback(js, fnNode) : undefined;
  if (fallback)
    return {
      origins: { ...origins, envDriven: env, reflectAny: fallback },
      origin: { kind: 'match', reject: 'omit', allowMissing: true },
    };
  if (value.kind === 'dynamic')
    return {
      origins: {
        ...origins,
        dynamic: true,
        envDriven: env,
        listAt: at('origin'),
        ...(fnNode && isStringValued(fnNode)
          ? { alwaysSent: at(`origin: ${option.node?.text ?? ''}`) }
          : {}),
      },
      origin: { kind: 'match', reject: 'omit', allowMissing: true },
    };
  if (truthy(value) === false) return { origins, origin: { kind: 'off' } };
  const items = value.kind === 'list' ? value.items : [value];
  addOriginItems(origins, items);
  return {
    origins: { ...origins, listAt: at('origin'), envDriven: origins.envDriven || env },
    origin: { kind: 'match', reject: 'omit', allowMissing: true },
  };
}

/**
 * The fields of one `cors(options)` call; undefined when the options cannot be read at all (a
 * function delegate, an object built at run time): such a layer is left out rather than guessed.
 */
export function readCorsOptions(
  js: JsEvaluator,
  optionsNode: Node | undefined,
  callSpan: Span,
): CorsOptionFields | undefined {
  const entries = optionEntries(js, optionsNode);
  return entries && fieldsOf(js, entries, optionsNode, callSpan);
}

/**
 * The fields of options that are only an `origin` function, exported for another module to put
 * in its `cors` options (`origin: originValidator(list)`): the rest as `cors` defaults it.
 */
export function readOriginOnly(js: JsEvaluator, fn: Node): CorsOptionFields {
  const at = spanOf(js.file, fn);
  const origin = { value: js.evaluate(fn), node: fn, pair: at };
  return fieldsOf(js, new Map([['origin', origin]]), undefined, at);
}

function fieldsOf(
  js: JsEvaluator,
  entries: Map<string, JsOption>,
  optionsNode: Node | undefined,
  callSpan: Span,
): CorsOptionFields {
  const get = (key: string) => entries.get(key);
  const credentials = get('credentials');
  const methods = joinedOption(get('methods')?.value);
  const headersOption =
    get('allowedHeaders') && truthy(get('allowedHeaders')!.value) !== false
      ? get('allowedHeaders')
      : get('headers');
  const allowed = joinedOption(headersOption?.value);
  const exposed = joinedOption(get('exposedHeaders')?.value);
  const maxAgeValue = get('maxAge')?.value;
  const maxAge =
    maxAgeValue?.kind === 'int'
      ? String(maxAgeValue.value)
      : maxAgeValue?.kind === 'str' && maxAgeValue.value
        ? maxAgeValue.value
        : undefined;
  const status = get('optionsSuccessStatus')?.value;
  const credentialsOn =
    credentials?.value.kind === 'bool'
      ? credentials.value.value
      : credentials
        ? credentials.value.kind === 'dynamic'
          ? 'dynamic'
          : false
        : false;
  const methodsText = get('methods') ? methods : DEFAULT_METHODS;
  const { origins, origin } = originFields(js, get('origin'), callSpan);
  const ignored = ignoredOptions(
    entries,
    // `headers` set stands for `allowedHeaders`: `allowHeaders` beside it is no near miss of it.
    entries.has('headers')
      ? { ...CORS_OPTIONS, others: [...CORS_OPTIONS.others, 'allowHeaders'] }
      : CORS_OPTIONS,
  );
  return {
    policy: {
      ...(ignored.length ? { ignoredOptions: ignored } : {}),
      origins,
      credentials: credentialsOn,
      credentialsAt: credentialsOnAt(credentialsOn, credentials),
      methods: namesSent(methodsText, optionRef(get('methods'), 'methods'), false),
      headers: namesSent(
        allowed,
        optionRef(headersOption, headersOption === get('headers') ? 'headers' : 'allowedHeaders'),
        true,
      ),
      expose: namesSent(exposed, optionRef(get('exposedHeaders'), 'exposedHeaders'), false),
      maxAge:
        maxAgeValue === undefined
          ? null
          : maxAge !== undefined
            ? Number(maxAge)
            : maxAgeValue.kind === 'dynamic'
              ? 'dynamic'
              : null,
    },
    facts: {
      options: optionsNode ? spanOf(js.file, js.resolveNode(optionsNode)) : undefined,
      origin,
      methods: methodsText === 'dynamic' ? DEFAULT_METHODS : (methodsText ?? ''),
      allowedHeaders: allowed === 'dynamic' ? undefined : allowed,
      exposedHeaders: exposed === 'dynamic' ? undefined : exposed,
      maxAge,
      preflightContinue:
        !!get('preflightContinue') && truthy(get('preflightContinue')!.value) === true,
      optionsSuccessStatus: status?.kind === 'int' ? status.value : 204,
    },
  };
}
