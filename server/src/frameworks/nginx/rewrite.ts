/**
 * The rewrite module's directives as steps: `set`, `return`, `if (...) { ... }`, and the ones we
 * do not replay (`rewrite`, `break`), in the order nginx runs them.
 */
import type { NginxCondition, NginxHeader, NginxLevel, NginxStep, NginxToken } from './facts';
import type { Span } from '../../policy/types';
import type { Directive } from './config';

/** `add_header name value [always]` directives of one block; malformed ones (wrong arity) are left out. */
export function addHeaders(block: Directive[]): NginxHeader[] {
  return block
    .filter(
      (d) =>
        d.name.value === 'add_header' &&
        (d.args.length === 2 || (d.args.length === 3 && d.args[2].value === 'always')),
    )
    .map((d) => ({
      name: d.args[0].value,
      value: d.args[1],
      always: d.args.length === 3,
      span: d.span,
      nameSpan: d.args[0].span,
    }));
}

/** A new `add_header` level below `parent`: its own headers replace the inherited ones, if any. */
export function level(
  kind: NginxLevel['kind'],
  span: Span,
  block: Directive[],
  parent?: NginxLevel,
): NginxLevel {
  const own = addHeaders(block);
  const inherited = parent?.effective ?? [];
  return { kind, span, own, effective: own.length ? own : inherited, inherited };
}

const REWRITE = new Set(['rewrite', 'break', 'rewrite_log', 'uninitialized_variable_warn']);

/** The rewrite steps of a server, location or `if` block; `parent` is the block's level. */
export function rewriteSteps(block: Directive[], parent: NginxLevel): NginxStep[] {
  const steps: NginxStep[] = [];
  for (const d of block) {
    const name = d.name.value;
    if (name === 'set' && d.args.length === 2 && d.args[0].value.startsWith('$')) {
      steps.push({
        kind: 'set',
        variable: d.args[0].value.slice(1),
        value: d.args[1],
        span: d.span,
      });
    } else if (name === 'return' && (d.args.length === 1 || d.args.length === 2)) {
      steps.push(returnStep(d));
    } else if (name === 'if' && d.block) {
      const ifLevel = level('if', d.span, d.block, parent);
      steps.push({
        kind: 'if',
        condition: parseCondition(d.args),
        level: ifLevel,
        steps: rewriteSteps(d.block, ifLevel),
        span: d.span,
      });
    } else if (REWRITE.has(name)) {
      steps.push({ kind: 'opaque', span: d.span, name, leaves: leavesLocation(d) || undefined });
    }
  }
  return steps;
}

/**
 * `rewrite regex replacement [flag]` that sends the request to another location: no flag or
 * `last` (nginx searches the location again for the new URI), to a local URI (`http://...` or
 * `$scheme...` answers a redirect from here, as `redirect` and `permanent` do).
 */
function leavesLocation(d: Directive): boolean {
  if (d.name.value !== 'rewrite' || d.args.length < 2 || d.args.length > 3) return false;
  const flag = d.args[2]?.value;
  return (
    (flag === undefined || flag === 'last') && !/^(?:https?:\/\/|\$scheme)/.test(d.args[1].value)
  );
}

/** `return code [text|URL]` or `return URL` (a 302). */
function returnStep(d: Directive): NginxStep {
  const [first, second] = d.args;
  if (/^\d{3}$/.test(first.value))
    return { kind: 'return', status: Number(first.value), text: second, span: d.span };
  if (!second && /^(https?:\/\/|\$scheme)/.test(first.value))
    return { kind: 'return', status: 302, text: first, span: d.span };
  return { kind: 'return', status: 'dynamic', span: d.span };
}

/**
 * An `if` condition as ngx_http_rewrite_if_condition reads its tokens: the `(` glued to the first
 * token and the `)` glued to the last are dropped, then `$var`, `$var op value` or a file test.
 */
export function parseCondition(args: NginxToken[]): NginxCondition {
  const tokens = args.map((t) => ({ ...t, span: { ...t.span } }));
  const text = args.map((t) => t.value).join(' ');
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (!first || !first.value.startsWith('(') || !last.value.endsWith(')'))
    return { kind: 'dynamic', text };
  first.value = first.value.slice(1);
  if (!first.quoted) first.span.start += 1;
  last.value = last.value.slice(0, -1);
  if (!last.quoted) last.span.end -= 1;
  const parts = tokens.filter(
    (t, i) => !(t.value === '' && !t.quoted && (i === 0 || i === tokens.length - 1)),
  );
  const variable = parts[0]?.value.match(/^\$(\w+)$/)?.[1];
  if (!variable) return { kind: 'dynamic', text };
  if (parts.length === 1) return { kind: 'truthy', variable };
  if (parts.length !== 3) return { kind: 'dynamic', text };
  const op = parts[1].value;
  if (op === '=' || op === '!=')
    return { kind: 'compare', variable, negate: op === '!=', value: parts[2] };
  const regex = op.match(/^(!?)~(\*?)$/);
  if (regex)
    return {
      kind: 'regex',
      variable,
      negate: regex[1] === '!',
      caseless: regex[2] === '*',
      pattern: parts[2],
    };
  return { kind: 'dynamic', text };
}
