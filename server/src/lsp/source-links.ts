import path from 'node:path';
import type { ProbeLink } from '../probe';
import type { Located } from './diagnostics';
import type { ProbeSourceLink } from './probe-protocol';

/**
 * Links with spans turned into document positions (open document or file on disk); a link whose
 * file cannot be read is dropped, and a link to a place already linked with the same message once.
 */
export function locateLinks(
  links: ProbeLink[],
  locate: (file: string) => Located | undefined,
): ProbeSourceLink[] {
  const seen = new Set<string>();
  return links.flatMap((link) => {
    const where = locate(link.span.file);
    if (!where) return [];
    const { line, character } = where.document.positionAt(link.span.start);
    const key = `${where.uri}:${line}:${link.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        message: link.message,
        uri: where.uri,
        line,
        character,
        label: `${path.basename(link.span.file)}:${line + 1}`,
      },
    ];
  });
}
