import { backtrackingRisk, compileOrigin, type BacktrackingRisk } from '../base/regex';
import type { RegexFlavor } from '../policy/types';
import { patternFix } from './support/pattern-fix';
import type { Check, Report } from './types';

/** The engine that runs a flavour's patterns in the server, for the message. */
const ENGINE: Record<RegexFlavor, string> = {
  'python-match': "Python's re",
  'python-fullmatch': "Python's re",
  'python-search': "Python's re",
  ruby: "Ruby's regex engine",
  js: "Node's RegExp",
  pcre: "nginx's PCRE",
};

/** The analysis costs up to ~200 ms a pattern; the language server re-runs checks per keystroke. */
const risks = new Map<string, BacktrackingRisk | null>();
function riskOf(pattern: string, flavor: RegexFlavor, flags: string): BacktrackingRisk | null {
  const key = `${flavor}\u0000${flags}\u0000${pattern}`;
  if (!risks.has(key)) {
    if (risks.size > 500) risks.clear();
    risks.set(key, backtrackingRisk(pattern, flavor, flags));
  }
  return risks.get(key) ?? null;
}

/**
 * A polynomial blow-up needs a long input; past the header size servers accept (8 KB: nginx's
 * large_client_header_buffers, gunicorn's limit_request_field_size 8190) it never reaches the
 * pattern. Exponential ones need a few dozen characters and are always reported.
 */
const MAX_HEADER = 8190;

/** The attack, shortened: `'https://a' + 'aa'×15 + '.example.com!'`. */
function attackText(risk: BacktrackingRisk): string {
  const times = Math.round(
    (risk.attack.length - risk.prefix.length - risk.suffix.length) / Math.max(1, risk.pump.length),
  );
  if (risk.attack.length <= 40 || !risk.pump || times < 2) return `'${risk.attack}'`;
  return `${risk.prefix ? `'${risk.prefix}' + ` : ''}'${risk.pump}'×${times}${risk.suffix ? ` + '${risk.suffix}'` : ''}`;
}

/**
 * The obvious safe rewrite of a nested repeat of one atom: `(X*)*`, `(X+)*`, `(X*)+` → `X*` and
 * `(X+)+` → `X+` (the same strings, without the ambiguity). Only when that removes every risk;
 * never for a capturing group nginx could read as `$1`.
 */
export function saferPattern(
  pattern: string,
  flavor: RegexFlavor,
  flags: string,
  risk: BacktrackingRisk,
): string | undefined {
  const nested = /^\((\?:)?(\\.|\[(?:\\.|[^\]\\])*\]|[^()[\]\\|*+?{}])([*+])\)([*+])$/.exec(
    risk.part,
  );
  if (!nested || !pattern.includes(risk.part)) return undefined;
  const [, nonCapturing, atom, inner, outer] = nested;
  if (!nonCapturing && flavor === 'pcre') return undefined;
  const fixed = pattern.replace(risk.part, `${atom}${inner === '+' && outer === '+' ? '+' : '*'}`);
  return compileOrigin(fixed, flavor, flags).ok && !backtrackingRisk(fixed, flavor, flags)
    ? fixed
    : undefined;
}

export const catastrophicOriginRegex: Check = {
  id: 'catastrophic-origin-regex',
  severity: 'error',
  description:
    'An origin regex can make the server backtrack for seconds on one crafted Origin header (a denial-of-service risk).',
  fix: {
    description: 'unnest a repeated repeat (`(.*)*` → `.*`), matching the same origins',
    safety: 'safe',
  },
  run(policy, context) {
    const reports: Report[] = [];
    for (const regex of policy.origins.regexes) {
      if (!regex.span) continue;
      const flags = regex.flags ?? '';
      const risk = riskOf(regex.pattern, regex.flavor, flags);
      if (!risk || (risk.kind === 'polynomial' && risk.attack.length > MAX_HEADER)) continue;
      const fixed = saferPattern(regex.pattern, regex.flavor, flags, risk);
      const growth = risk.kind === 'exponential' ? 'exponential' : 'polynomial';
      reports.push({
        message: `Origin regex '${regex.pattern}' takes ${growth} time in ${ENGINE[regex.flavor]} on an Origin such as ${attackText(risk)} (because of \`${risk.part}\`): a denial-of-service risk in the server too, since the library runs it on every request's Origin.`,
        span: regex.span,
        fix: patternFix(policy, regex, fixed, context),
      });
    }
    return reports;
  },
};
