/**
 * The probe report's summary and its sweep links grouped by cause (pure: unit-tested). One line
 * says what matters: the verdict for the user's origin and what the attacker sweep found, so a
 * green "Allowed" never sits above a list of high-risk origins unexplained.
 */
import type { SweepRow } from '../../server/src/probe';
import type { ProbeAnswer, ProbeSourceLink } from '../../server/src/lsp/probe-protocol';

/** The summary line and how loud it is. */
export interface ProbeSummary {
  text: string;
  level: 'high' | 'medium' | 'allowed' | 'blocked';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Allowed for your origin — 14 attacker origins can read credentialed responses: high risk". */
export function probeSummary(answer: ProbeAnswer): ProbeSummary {
  const v = answer.verdict;
  const mine = v
    ? v.allowed
      ? 'Allowed for your origin'
      : `Blocked for your origin at the ${v.stage}`
    : 'No usable answer for your origin';
  const rows: SweepRow[] = answer.sweep ?? [];
  const high = rows.filter((r) => r.risk === 'high').length;
  const medium = rows.filter((r) => r.risk === 'medium').length;
  const base: ProbeSummary['level'] = v?.allowed ? 'allowed' : 'blocked';
  if (!answer.sweep) return { text: mine, level: base };
  if (high)
    return {
      text: `${mine} — ${plural(high, 'attacker origin', 'attacker origins')} can read credentialed responses: high risk${medium ? ` (${medium} more at medium risk)` : ''}`,
      level: 'high',
    };
  if (medium)
    return {
      text: `${mine} — ${plural(medium, 'origin', 'origins')} an attacker may control can read responses: medium risk`,
      level: 'medium',
    };
  return { text: `${mine} — no attacker origin of the sweep can read responses`, level: base };
}

/** Sweep links that share a line and a cause, with the origins each covers. */
export interface LinkGroup {
  link: ProbeSourceLink;
  /** The cause, without the origin ("gets in because CORS_ALLOW_ALL_ORIGINS allows every origin"). */
  cause: string;
  origins: string[];
}

const SWEEP_LINK = /^Sweep: (\S+) \((\w+) risk\) (.+)$/;

/**
 * The answer's links split into the verdict's own and the sweep's, the latter grouped by line and
 * cause (one entry for 14 origins let in by the same setting) and indexed by origin for the table.
 */
export function groupLinks(links: ProbeSourceLink[]): {
  own: ProbeSourceLink[];
  groups: LinkGroup[];
  byOrigin: Map<string, LinkGroup>;
} {
  const own: ProbeSourceLink[] = [];
  const groups: LinkGroup[] = [];
  const byOrigin = new Map<string, LinkGroup>();
  for (const link of links) {
    const m = SWEEP_LINK.exec(link.message);
    if (!m) {
      own.push(link);
      continue;
    }
    const [, origin, , cause] = m;
    let group = groups.find(
      (g) => g.cause === cause && g.link.uri === link.uri && g.link.line === link.line,
    );
    if (!group) {
      group = { link, cause, origins: [] };
      groups.push(group);
    }
    group.origins.push(origin);
    byOrigin.set(origin, group);
  }
  return { own, groups, byOrigin };
}

/** What a sweep row's origin can do with the response, in a few words. */
export function sweepResult(row: SweepRow): string {
  if (row.error) return `no answer (${row.error.message})`;
  if (row.readableWithCredentials) return 'readable with credentials';
  if (row.readableWithoutCredentials) return 'readable without credentials';
  return 'blocked';
}
