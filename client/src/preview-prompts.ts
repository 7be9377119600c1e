import * as vscode from 'vscode';
import type { PolicySummary, PreviewParams } from '../../server/src/lsp/protocol';

const other = 'Other…';
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** An origin as a browser serializes it: scheme://host[:port] (no path), or `null`. */
export function originProblem(value: string): string | undefined {
  if (value === 'null') return undefined;
  try {
    const url = new URL(value);
    return url.origin === value
      ? undefined
      : `Not a serialized origin; did you mean ${url.origin}?`;
  } catch {
    return 'Enter an origin such as https://app.example.com';
  }
}

async function pickOrigin(summary: PolicySummary): Promise<string | undefined> {
  const items: vscode.QuickPickItem[] = summary.origins.map((origin) => ({
    label: origin,
    description: 'allowlisted',
  }));
  items.push({ label: other, description: 'type any origin' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'CORS preview (1/5): page origin',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.label !== other) return picked.label;
  return vscode.window.showInputBox({
    title: 'CORS preview (1/5): page origin',
    prompt: 'The origin of the page that calls fetch()',
    value: 'https://',
    validateInput: (value) => originProblem(value.trim()),
    ignoreFocusOut: true,
  });
}

/**
 * Asks, step by step, for the request to preview: origin (the policy's allowlisted ones first),
 * method, request headers, credentials and path. Undefined when the user cancels a step.
 */
export async function promptPreviewRequest(
  uri: string,
  summary: PolicySummary,
): Promise<PreviewParams | undefined> {
  const origin = (await pickOrigin(summary))?.trim();
  if (!origin) return undefined;
  const method = await vscode.window.showQuickPick(methods, {
    title: 'CORS preview (2/5): method',
    ignoreFocusOut: true,
  });
  if (!method) return undefined;
  const headerText = await vscode.window.showInputBox({
    title: 'CORS preview (3/5): request headers',
    prompt:
      'Comma-separated header names or `name: value` pairs (empty for none), e.g. content-type: application/json, x-session-token',
    value: '',
    ignoreFocusOut: true,
  });
  if (headerText === undefined) return undefined;
  const credentials = await vscode.window.showQuickPick(
    [
      { label: 'No credentials', value: false },
      {
        label: 'Include credentials',
        description: "credentials: 'include' (cookies, HTTP auth)",
        value: true,
      },
    ],
    { title: 'CORS preview (4/5): credentials', ignoreFocusOut: true },
  );
  if (!credentials) return undefined;
  const path = await vscode.window.showInputBox({
    title: 'CORS preview (5/5): path',
    prompt: 'Path and query of the request',
    value: '/',
    ignoreFocusOut: true,
  });
  if (path === undefined) return undefined;
  const headers = headerText
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return { uri, origin, method, headers, credentials: credentials.value, path: path.trim() || '/' };
}
