import type { PreviewReport } from '../../server/src/analysis/preview-report';

type Headers = [string, string][];

const block = (lines: string[]) => ['```http', ...lines, '```'];
const headerLines = (headers: Headers) => headers.map(([name, value]) => `${name}: ${value}`);

/** A preview report as a readable markdown page: verdict first, then the responses, then the policy. */
export function previewMarkdown(report: PreviewReport, fileName: string): string {
  const { request, preflight, actual, verdict, policy } = report;
  const out: string[] = [];
  out.push(`# ${request.method} ${request.url}`, '');
  out.push(
    `From origin \`${request.origin}\`, credentials \`${request.credentials}\`` +
      (request.headers.length
        ? `, headers ${request.headers.map(([n]) => `\`${n}\``).join(', ')}`
        : ', no custom headers') +
      `, against the policy in \`${fileName}\`.`,
    '',
  );
  out.push(
    verdict.allowed ? '## Verdict: allowed' : `## Verdict: blocked at the ${verdict.stage}`,
    '',
  );
  for (const reason of verdict.reasons) out.push(`- ${reason}`);
  if (verdict.warnings.length)
    out.push('', '**Warnings**', '', ...verdict.warnings.map((w) => `- ${w}`));
  if (verdict.allowed) {
    out.push(
      '',
      `Script can read: ${verdict.readableHeaders.length ? verdict.readableHeaders.map((h) => `\`${h}\``).join(', ') : 'no response headers'}.`,
    );
  }
  out.push('', '## Preflight', '');
  if (!preflight.needed) out.push('No preflight: the browser sends the request directly.');
  else
    out.push(
      ...block([
        `OPTIONS ${new URL(request.url).pathname} → ${preflight.status}`,
        ...headerLines(preflight.headers),
      ]),
    );
  out.push('', '## Actual response', '');
  if (!actual) out.push('Not sent: the browser stopped before the actual request.');
  else out.push(...block([`${request.method} → ${actual.status}`, ...headerLines(actual.headers)]));
  out.push('', '## Policy', '');
  const origins = policy.origins;
  out.push(
    `- Origins: ${origins.allowAll ? 'all' : [...origins.exact, ...origins.regexes.map((r) => `/${r.pattern}/`)].join(', ') || 'none'}${origins.dynamic ? ' (partly dynamic)' : ''}`,
    `- Credentials: ${String(policy.credentials)}`,
    `- Methods: ${policy.methods.wildcard ? '*' : policy.methods.names.join(', ')}`,
    `- Headers: ${policy.headers.wildcard ? '*' : policy.headers.names.join(', ')}`,
    `- Exposed: ${policy.expose.names.join(', ') || 'none'}`,
    `- Max age: ${policy.maxAge ?? 'not set'}`,
  );
  return out.join('\n') + '\n';
}
