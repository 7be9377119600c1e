import type { HeaderList } from '../fetch/types';
import type { NameList } from '../policy/types';
import type { PolicyJson, PreviewReport } from '../analysis/preview-report';
import { safeLines } from './terminal-safe';

const list = (l: PolicyJson['methods'] | NameList) =>
  (l.wildcard ? '*' : l.names.join(', ') || '(none)') + (l.dynamic ? ' (partly dynamic)' : '');
const headerLines = (headers: HeaderList) =>
  headers.map(([name, value]) => `    ${name}: ${value}`);

function originsText(origins: PolicyJson['origins']): string {
  if (origins.allowAll) return '* (all)';
  if (origins.reflectAny) return 'reflects any origin';
  const listed = [...origins.exact, ...origins.regexes.map((r) => `/${r.pattern}/ (${r.flavor})`)];
  return listed.join(', ') || '(none)';
}

/**
 * The policy summary, the predicted responses and the verdict, for a terminal; `environment`: the
 * one the policy was read in (`--env`).
 */
export function formatPreviewText(
  report: PreviewReport,
  shownFile: string,
  environment?: string,
): string {
  const { policy, request, preflight, actual, verdict } = report;
  const origins = policy.origins;
  const out = [
    `Policy (${policy.framework}, ${shownFile}${environment ? `, in ${environment}` : ''}):`,
    `  origins:      ${originsText(origins)}${origins.dynamic ? ' (partly dynamic)' : ''}${origins.envDriven ? ' (from the environment)' : ''}`,
    `  credentials:  ${String(policy.credentials)}`,
    `  methods:      ${list(policy.methods)}`,
    `  headers:      ${list(policy.headers)}`,
    `  expose:       ${list(policy.expose)}`,
    `  max-age:      ${policy.maxAge ?? '(not set)'}`,
    ...(policy.urlRegex !== null ? [`  url regex:    ${policy.urlRegex}`] : []),
    `  model:        ${report.model}`,
    '',
    `Request: ${request.method} ${request.url} from ${request.origin} (credentials: ${request.credentials})`,
    ...request.headers.map(([name, value]) => `    ${name}: ${value}`),
    '',
  ];
  if (preflight.needed)
    out.push(`Preflight: OPTIONS -> ${preflight.status}`, ...headerLines(preflight.headers));
  else out.push('Preflight: not needed');
  out.push('');
  if (actual)
    out.push(`Actual: ${request.method} -> ${actual.status}`, ...headerLines(actual.headers));
  else out.push('Actual: not sent (the browser stopped before it)');
  out.push('', `Verdict: ${verdict.allowed ? 'allowed' : `BLOCKED at the ${verdict.stage}`}`);
  out.push(...verdict.reasons.map((r) => `  - ${r}`));
  out.push(...verdict.warnings.map((w) => `  warning: ${w}`));
  if (verdict.allowed)
    out.push(`  readable response headers: ${verdict.readableHeaders.join(', ') || '(none)'}`);
  // Origins, header names and regexes come from the analysed file: shown, never interpreted.
  return safeLines(out);
}
