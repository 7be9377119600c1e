import path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { SourceReader } from '../base/source-reader';
import {
  explainHar,
  explainMessage,
  HarError,
  parseMessages,
  scanServers,
  type ExplainContext,
  type Explanation,
  type WorkspaceServer,
} from '../explain';
import type { Located } from './diagnostics';
import { pathToUri } from './files';
import type { ExplainAnswer, ExplainChange, ExplainItem, ExplainParams } from './explain-protocol';

/** What the request reads: the workspace folders, files (open documents first), and their versioned text. */
export interface ExplainHost {
  roots: string[];
  reader: SourceReader;
  locate(file: string): Located | undefined;
}

/** One explanation with its spans as document positions. */
function toItem(e: Explanation, host: ExplainHost, root: string, requests?: string[]): ExplainItem {
  const label = (file: string) => path.relative(root, file) || path.basename(file);
  const lines = e.lines.flatMap((line) => {
    const where = host.locate(line.span.file);
    if (!where) return [];
    const { line: l, character } = where.document.positionAt(line.span.start);
    return [
      {
        message: line.message,
        uri: where.uri,
        line: l,
        character,
        label: `${label(line.span.file)}:${l + 1}`,
      },
    ];
  });
  const changes = new Map<string, ExplainChange>();
  for (const edit of e.fix?.edits ?? []) {
    const where = host.locate(edit.file);
    if (!where) continue;
    const change = changes.get(where.uri) ?? { uri: where.uri, version: where.version, edits: [] };
    change.edits.push({
      range: {
        start: where.document.positionAt(edit.start),
        end: where.document.positionAt(edit.end),
      },
      newText: edit.newText,
    });
    changes.set(where.uri, change);
  }
  const [best, ...others] = e.candidates;
  return {
    browser: e.message.browser,
    rule: e.message.rule,
    url: e.request.url,
    origin: e.request.origin,
    method: e.request.method,
    outcome: e.outcome,
    cause: e.cause,
    ...(best
      ? {
          server: {
            label: label(best.file),
            uri: pathToUri(best.file),
            framework: best.framework,
            reasons: best.reasons,
          },
        }
      : {}),
    others: others
      .slice(0, 3)
      .map((c) => ({ label: label(c.file), framework: c.framework, reasons: c.reasons })),
    lines,
    ...(e.fix
      ? {
          fix: {
            title: e.fix.title,
            check: e.fix.check,
            docs: e.fix.docs,
            finding: e.fix.finding,
            changes: [...changes.values()],
          },
        }
      : {}),
    ...(e.predicted ? { predicted: e.predicted } : {}),
    assumptions: e.assumptions,
    probe: e.probe,
    ...(requests ? { requests } : {}),
  };
}

/** The servers of every workspace folder. */
async function serversOf(host: ExplainHost): Promise<WorkspaceServer[]> {
  const all: WorkspaceServer[] = [];
  for (const root of host.roots) all.push(...(await scanServers(root, host.reader)));
  return all;
}

/** `corsLens/explain`: the workspace's servers, scanned now, against the pasted error or HAR. */
export async function explainFor(params: ExplainParams, host: ExplainHost): Promise<ExplainAnswer> {
  if (typeof params.text !== 'string' || !params.text.trim())
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      'Paste the CORS error from the browser console.',
    );
  if (!host.roots.length)
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      'Open the folder that holds the server first.',
    );
  const root = host.roots[0];
  const context: ExplainContext = {
    servers: await serversOf(host),
    reader: host.reader,
    root,
    origin: typeof params.origin === 'string' && params.origin ? params.origin : undefined,
  };
  if (params.har) {
    try {
      const report = explainHar(params.text, context);
      return {
        items: report.groups.map((g) => toItem(g.explanation, host, root, g.requests)),
        note: `${report.entries} entries, ${report.crossOrigin} cross-origin, ${report.blocked} blocked by CORS.`,
      };
    } catch (error) {
      if (error instanceof HarError)
        throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read the HAR: ${error.message}`);
      throw error;
    }
  }
  const messages = parseMessages(params.text);
  if (!messages.length)
    return {
      items: [],
      note: 'No CORS error from Chromium, Firefox or Safari was found in the text.',
    };
  return { items: messages.map((m) => toItem(explainMessage(m, context), host, root)) };
}
