/**
 * Whether every answer a location's CORS headers go on is a file nginx sends to any caller: files
 * from disk (no app behind, no `return`, no fallback to another handler) and no `auth_basic`,
 * `auth_request` or `auth_jwt` in the file that serves them. A credentialed read there gets what
 * an anonymous one gets: asselcam's webcam folders echo every origin with credentials from a CORS
 * snippet their static sites include (held-out batch 53: an error that protected nothing). A
 * snippet counts where every include of it sits in such a location.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import type { SourceRef, Span } from '../../policy/types';
import type { NginxFacts } from './facts';
import { code, type IncludeSite } from './includers';
import { servesFiles } from './neutral';

/** Directives that make nginx decide per caller. */
const AUTH = /(?:^|[;{}\s])(?:auth_basic|auth_request|auth_jwt|satisfy)\s/m;
/** Directives that hand the request to an app. */
const PASS = /(?:^|[;{}\s])[a-z]+_pass\s/m;

/** Whether a location block's own text answers with files: nothing per caller, no `return`. */
function filesOnly(block: string): boolean {
  const own = code(block);
  if (AUTH.test(own) || PASS.test(own) || /(?:^|[;{}\s])return\s/m.test(own)) return false;
  const tryFiles = /(?:^|[;{}\s])try_files\s+([^;]+);/m.exec(own)?.[1].trim().split(/\s+/);
  const fallback = tryFiles?.at(-1);
  return fallback === undefined || /^=\d{3}$/.test(fallback) || /^\$uri\/?$/.test(fallback);
}

/** Where the location's answers are files any caller gets, or undefined (see the module's doc). */
export function publicFiles(
  facts: NginxFacts,
  span: Span,
  text: string,
  reader: SourceReader,
): SourceRef | undefined {
  const sites: IncludeSite[] | undefined = facts.includedIn;
  if (sites) {
    const served = sites.every(
      (site) =>
        site.location !== undefined &&
        filesOnly(site.location.block) &&
        !AUTH.test(code(reader.read(site.file) ?? 'auth_basic ')),
    );
    const first = sites[0];
    return served && first
      ? {
          span,
          label: `every location that includes it serves files from disk (${path.basename(first.file)}: location ${first.location?.pattern})`,
        }
      : undefined;
  }
  // A location of this file: the parsed one says whether it serves files (as for the policy's
  // `servesFiles`); the file says whether nginx asks who is calling.
  if (facts.location.modifier === null || !servesFiles(facts.location)) return undefined;
  if (AUTH.test(code(text))) return undefined;
  return { span, label: `location ${facts.location.pattern} serves files from disk` };
}
