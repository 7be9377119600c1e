/**
 * What a Rails controller that writes its CORS headers by hand sends: its callbacks and action
 * replayed as ActionController runs them. Checked against real Rails 6.1 (Debian's ruby-rails,
 * ActionController::API under Puma) by test/truth/ruby-handset.test.ts.
 *
 * - `before_action` callbacks run in order for the actions their `only:`/`except:` name; one that
 *   answers (`head :ok`, `render`) halts the chain: the action and the `after_action` callbacks
 *   then do not run.
 * - The action's `render` answers 200 (or its `status:`) and appends `Accept, X-Requested-With`
 *   to Vary (`_set_vary_header`; a Vary set later by hand replaces that value in its place),
 *   `head :x` answers that status, an action that answers nothing 204. Response headers are a
 *   plain Hash: a name set again keeps its place.
 *
 * Assumptions, because the model sees the controller and not config/routes.rb: GET, HEAD and
 * OPTIONS reach `show` (else `index`, else the first action), as `match ..., via: [:get,
 * :options]` routes them; POST reaches `create`, PUT/PATCH `update`, DELETE `destroy`; another
 * request is a 404 without CORS headers. A controller with no actions (ApplicationController) is
 * a base class: every request reaches an inherited action that renders 200, and all its
 * callbacks run. A condition the model cannot read counts as false.
 */
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { RubyCondition, RubyStep } from '../../lang/ruby/handset';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import { conditionHolds, requestLeaf } from '../../replay/handset-conditions';
import type { RailsCallback, RubyHandsetFacts } from './facts';

const STATUS: Record<string, number> = {
  ok: 200,
  created: 201,
  accepted: 202,
  no_content: 204,
  forbidden: 403,
  not_found: 404,
  unprocessable_entity: 422,
};

interface Seen {
  method: string;
  origin?: string;
  /** What `render` adds to Vary (`request.vary_headers`). */
  vary: string[];
}

/** `_set_vary_header` of `render` (no `format` param): the request's vary headers appended to Vary. */
function renderVary(headers: HeaderList, seen: Seen): void {
  const at = headers.findIndex(([n]) => n === 'Vary');
  const existing =
    at >= 0
      ? headers[at][1]
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [];
  if (existing.includes('*')) return;
  for (const header of seen.vary)
    if (!existing.some((e) => e.toLowerCase() === header.toLowerCase())) existing.push(header);
  set(headers, 'Vary', existing.join(', '));
}

/** Ruby's truth: any Origin, even an empty one, is true. */
const holds = (test: RubyCondition, seen: Seen): boolean =>
  conditionHolds(test, (leaf) => requestLeaf(leaf, seen, (origin) => origin !== undefined));

/** `render ... status: :created` / `status: 201`, else 200. */
function renderStatus(text: string): number {
  const m = /status:\s*(?::(\w+)|(\d+))/.exec(text);
  return m ? (m[2] ? Number(m[2]) : (STATUS[m[1]] ?? 200)) : 200;
}

/** Rails' response headers: a plain Hash, so a name set again keeps its place (names as written). */
function set(headers: HeaderList, name: string, value: string): void {
  const at = headers.findIndex(([n]) => n === name);
  if (at >= 0) headers[at] = [name, value];
  else headers.push([name, value]);
}

/** Runs steps; returns the status when they answered. */
function run(steps: RubyStep[], seen: Seen, headers: HeaderList): number | 'exit' | undefined {
  for (const step of steps) {
    if (step.kind === 'header') {
      const value =
        step.value.kind === 'literal'
          ? step.value.value
          : step.value.kind === 'origin'
            ? seen.origin
            : undefined;
      if (value !== undefined) set(headers, step.name, value);
    } else if (step.kind === 'exit') return 'exit';
    else if (step.kind === 'return' && step.halt)
      return typeof step.status === 'number' ? step.status : 200;
    else if (step.kind === 'call' && step.name === 'render') {
      renderVary(headers, seen);
      return renderStatus(step.text);
    } else if (step.kind === 'if') {
      const result = run(holds(step.test, seen) ? step.then : step.otherwise, seen, headers);
      if (result !== undefined) return result;
    }
  }
  return undefined;
}

const applies = (callback: RailsCallback, action: string) =>
  (!callback.only || callback.only.includes(action)) && !callback.except?.includes(action);

function actionFor(facts: RubyHandsetFacts, method: string): string | undefined {
  const has = (name: string) => facts.actions.some((a) => a.name === name);
  if (['GET', 'HEAD', 'OPTIONS'].includes(method))
    return ['show', 'index'].find(has) ?? facts.actions[0]?.name;
  const name = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'destroy' }[method];
  return name && has(name) ? name : undefined;
}

function respond(facts: RubyHandsetFacts, request: HttpRequest): HttpResponse {
  const origins = request.headers.filter(([n]) => n.toLowerCase() === 'origin').map(([, v]) => v);
  const header = (name: string) => firstValue(request.headers, name);
  const xhr = /^XMLHttpRequest$/i.test(header('x-requested-with') ?? '');
  const vary =
    xhr && !header('accept')
      ? ['Accept', 'Content-Type', 'X-Requested-With']
      : ['Accept', 'X-Requested-With'];
  const seen: Seen = {
    method: request.method.toUpperCase(),
    origin: origins.length ? origins.join(', ') : undefined,
    vary,
  };
  // A controller without actions is a base class (ApplicationController): its callbacks run for
  // the actions of the controllers that inherit it, taken to `render` 200.
  const inherited = !facts.actions.length;
  const action = inherited ? undefined : actionFor(facts, seen.method);
  if (!action && !inherited) return { status: 404, headers: [] };
  const runs = (c: RailsCallback, stage: RailsCallback['stage']) =>
    c.stage === stage && (!action || applies(c, action));
  const headers: HeaderList = [];
  for (const callback of facts.callbacks.filter((c) => runs(c, 'before'))) {
    const result = run(callback.steps, seen, headers);
    if (typeof result === 'number') return { status: result, headers };
  }
  const steps = facts.actions.find((a) => a.name === action)?.steps ?? [];
  if (inherited) renderVary(headers, seen);
  const answered = inherited ? 200 : run(steps, seen, headers);
  const status = typeof answered === 'number' ? answered : 204;
  for (const callback of facts.callbacks.filter((c) => runs(c, 'after')))
    run(callback.steps, seen, headers);
  return { status, headers };
}

/** Hand-set headers in Rails controllers as a {@link LibraryModel}. */
export const rubyHandset: LibraryModel = {
  library: 'hand-set headers (Rails 6.1 ActionController)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'ruby-handset');
    return facts ? respond(facts, request) : { status: 200, headers: [] };
  },
};
