import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checks } from '../analysis/analyze';
import { docsUrl, type Severity } from '../checks/types';
import type { Range } from '../base/positions';
import type { CheckReport } from './report';

/** CORS Lens's home page, the SARIF driver's `informationUri`. */
export const informationUri = 'https://github.com/cors-lens/cors-lens';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** SARIF regions are 1-based; columns count UTF-16 units (declared by `columnKind`). */
const region = (r: Range) => ({
  startLine: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

/** Relative paths resolve against `%SRCROOT%`; a file outside the working directory keeps its absolute URI. */
const artifact = (file: string) =>
  path.isAbsolute(file)
    ? { uri: pathToFileURL(file).href }
    : { uri: encodeURI(file), uriBaseId: '%SRCROOT%' };

/**
 * The files the run skipped or may have misread, as the invocation's notifications (SARIF
 * 2.1.0 §3.20.21): a code-scanning service shows them beside the results, so a file not checked
 * is not taken for a clean one.
 */
function invocations(report: CheckReport) {
  // A skipped entry may stand for many files (`12 more files`): named in the text only.
  const notifications = [
    ...report.skipped.map((s) => ({
      level: 'note',
      message: { text: `${s.file}: skipped: ${s.reason}` },
    })),
    ...report.syntaxErrors.map((file) => ({
      level: 'warning',
      message: { text: `${file}: has syntax errors; findings may be incomplete` },
      locations: [{ physicalLocation: { artifactLocation: artifact(file) } }],
    })),
  ];
  return notifications.length
    ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] }
    : {};
}

/**
 * SARIF 2.1.0: one run, a rule per registered check, a result per finding with its fix as
 * `fixes[].artifactChanges[].replacements`. Paths are relative to `%SRCROOT%` (the working
 * directory) so code-scanning services can place them.
 */
export function formatSarif(report: CheckReport, cwd: string, version: string): string {
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'CORS Lens',
            version,
            informationUri,
            rules: checks.map((c) => ({
              id: c.id,
              name: c.id,
              shortDescription: { text: c.description },
              helpUri: docsUrl(c.id),
              defaultConfiguration: { level: levels[c.severity] },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href },
        },
        columnKind: 'utf16CodeUnits',
        ...invocations(report),
        results: report.findings.map((f) => ({
          ruleId: f.check,
          ...(ruleIndex.has(f.check) ? { ruleIndex: ruleIndex.get(f.check) } : {}),
          level: levels[f.severity],
          message: { text: f.message },
          locations: [
            { physicalLocation: { artifactLocation: artifact(f.file), region: region(f.range) } },
          ],
          ...(f.related
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: artifact(r.file), region: region(r.range) },
                })),
              }
            : {}),
          ...(f.fixes.length
            ? {
                fixes: f.fixes.map((fix) => ({
                  description: { text: fix.title },
                  artifactChanges: [...new Set(fix.edits.map((e) => e.file))].map((file) => ({
                    artifactLocation: artifact(file),
                    replacements: fix.edits
                      .filter((e) => e.file === file)
                      .map((e) => ({
                        deletedRegion: region(e.range),
                        insertedContent: { text: e.newText },
                      })),
                  })),
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
