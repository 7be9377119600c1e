import * as vscode from 'vscode';
import type { PolicySummary, PreviewParams } from '../../server/src/lsp/protocol';
import { originProblem, pickItems, type PickEntry } from './prompt-values';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const memoryKey = 'corsLens.previewLast';

/** The answers of the last preview, offered first next time (workspaceState). */
interface Remembered {
  origin?: string;
  method?: string;
  headers?: string;
  credentials?: boolean;
  path?: string;
}

/**
 * A quick pick that also takes what is typed: `check` says whether the typed text is acceptable
 * (undefined) or what is wrong with it, shown as the first row; Enter on a valid typed value
 * accepts it as is, Enter on the problem row keeps the pick open.
 */
function pickOrType(
  title: string,
  entries: PickEntry[],
  check: (value: string) => string | undefined,
  placeholder: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value?: string }>();
    pick.title = title;
    pick.placeholder = placeholder;
    pick.ignoreFocusOut = true;
    const refresh = () => {
      const items = pickItems(entries, pick.value, check).map((e) => ({
        label: e.problem ? `$(error) ${e.problem}` : e.value,
        description: e.description,
        alwaysShow: e.typed,
        value: e.problem ? undefined : e.value,
      }));
      pick.items = items;
      // Enter takes the row equal to the typed text, else the first row it still matches (the
      // quick pick hides the others), else the first row (the typed value when it leads).
      const typed = pick.value.trim().toLowerCase();
      const active =
        (typed &&
          (items.find((i) => i.value?.toLowerCase() === typed) ??
            items.find((i) => i.label.toLowerCase().includes(typed)))) ||
        items[0];
      if (active) pick.activeItems = [active];
    };
    refresh();
    let done = false;
    pick.onDidChangeValue(refresh);
    pick.onDidAccept(() => {
      // The typed text itself when no row is active yet (the list is updated asynchronously).
      const typed = pick.value.trim();
      const value =
        pick.selectedItems[0]?.value ??
        pick.activeItems[0]?.value ??
        (typed && !check(typed) ? typed : undefined);
      if (value === undefined) return;
      done = true;
      resolve(value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

const methodProblem = (value: string) =>
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? undefined : `'${value}' is not an HTTP method`;

/**
 * Asks, step by step, for the request to preview: origin (the last one and the policy's allowlist
 * first, or any typed origin), method, request headers, credentials and path, each pre-set to the
 * last answer. Undefined when the user cancels a step.
 */
export async function promptPreviewRequest(
  uri: string,
  summary: PolicySummary,
  memory: vscode.Memento,
): Promise<PreviewParams | undefined> {
  const last = memory.get<Remembered>(memoryKey) ?? {};
  const origins: PickEntry[] = summary.origins.map((o) => ({
    value: o,
    description: 'allowlisted',
  }));
  if (last.origin && !summary.origins.includes(last.origin))
    origins.unshift({ value: last.origin, description: 'last used' });
  else if (last.origin)
    origins.sort((a, b) => Number(b.value === last.origin) - Number(a.value === last.origin));
  const origin = await pickOrType(
    'CORS preview (1/5): page origin',
    origins,
    originProblem,
    'Pick an origin or type one: scheme://host[:port], e.g. https://app.example.com',
  );
  if (!origin) return undefined;
  const methodEntries = methods.map((m) => ({ value: m }));
  if (last.method) {
    const at = methodEntries.findIndex((m) => m.value === last.method);
    if (at !== -1) methodEntries.splice(at, 1);
    methodEntries.unshift({ value: last.method, description: 'last used' } as PickEntry);
  }
  const method = await pickOrType(
    'CORS preview (2/5): method',
    methodEntries,
    methodProblem,
    'Pick or type a method',
  );
  if (!method) return undefined;
  const headerText = await vscode.window.showInputBox({
    title: 'CORS preview (3/5): request headers',
    prompt:
      'Comma-separated header names or `name: value` pairs (empty for none), e.g. content-type: application/json, x-session-token',
    value: last.headers ?? '',
    ignoreFocusOut: true,
  });
  if (headerText === undefined) return undefined;
  const choices = [
    { label: 'No credentials', value: false },
    {
      label: 'Include credentials',
      description: "credentials: 'include' (cookies, HTTP auth)",
      value: true,
    },
  ];
  if (last.credentials) choices.reverse();
  const credentials = await vscode.window.showQuickPick(choices, {
    title: 'CORS preview (4/5): credentials',
    ignoreFocusOut: true,
  });
  if (!credentials) return undefined;
  const path = await vscode.window.showInputBox({
    title: 'CORS preview (5/5): path',
    prompt: 'Path and query of the request',
    // First time: a route the policy covers (`/` often answers 404 before any CORS header).
    value: last.path && last.path !== '/' ? last.path : (summary.path ?? '/'),
    ignoreFocusOut: true,
  });
  if (path === undefined) return undefined;
  const remembered: Remembered = {
    origin,
    method,
    headers: headerText,
    credentials: credentials.value,
    path,
  };
  await memory.update(memoryKey, remembered);
  const headers = headerText
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return { uri, origin, method, headers, credentials: credentials.value, path: path.trim() || '/' };
}

/**
 * The environment to read the code in (the status bar's environment item): the code as written
 * (every variable unset) or one whose env files and settings module apply, `current` marked.
 * Undefined: cancelled.
 */
export async function promptEnvironment(
  environments: string[],
  current = '',
): Promise<string | undefined> {
  const mark = (value: string, what: string) => (value === current ? `${what} (current)` : what);
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: 'As written',
        description: mark('', 'every variable unset: the code’s defaults'),
        value: '',
      },
      ...environments.map((name) => ({
        label: name,
        description: mark(name, 'its env files and settings module'),
        value: name,
      })),
    ],
    {
      title: 'CORS Lens: environment',
      placeHolder:
        'The environment diagnostics, the preview and the probe’s prediction are computed in',
      ignoreFocusOut: true,
    },
  );
  return picked?.value;
}
