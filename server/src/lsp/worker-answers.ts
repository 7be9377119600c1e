import type { CancellationToken } from 'vscode-languageserver';
import { policiesInEnvironment } from '../analysis/environment-policies';
import type { AnalysisService } from './analysis-service';
import type { Answer, Question, QuestionError, Questions } from './analysis-messages';
import { uriToPath } from './files';
import { encodePolicies } from './policy-bytes';
import { policiesForLspThread } from './lsp-thread-policies';
import type { StartupTimings } from './protocol';

// The preview, probe and explain modules (and vscode-languageserver, for their protocol errors)
// load on the first such question, not with the worker: its first analysis, the first squiggle
// (issue 21), does not wait for them.
const previews = () =>
  Promise.all([
    import('./requests'),
    import('../analysis/server-ports'),
    import('../analysis/preview-report'),
  ]);
const probes = () => import('./probe-requests');
const explains = () => import('./explain-requests');

/** What the worker's answers read: its analyses and files (open documents first), the folders. */
export interface AnswerContext {
  service: AnalysisService;
  roots(): string[];
  /** Resolves once every analysis queued so far (and those they queued) and the start-up index have run. */
  idle(): Promise<void>;
  /** The grammar preload's timings (`startup.ts`). */
  startup: Promise<StartupTimings>;
}

type Answerers = {
  [K in keyof Questions]: (question: Question<K>, token: CancellationToken) => Promise<Answer<K>>;
};

/**
 * The worker's answers to the LSP thread's questions (`analysis-messages.ts`): whatever needs the
 * parsed project or runs a policy through its library's model (previews, probes, another
 * environment's policies, the server's port, the workspace's servers), so the LSP thread never
 * parses and never needs a model.
 */
export function answerers(context: AnswerContext): Answerers {
  const { service } = context;
  const reader = { read: (file: string) => service.read(file) };
  const policiesOf = (uri: string) => service.state(uri)?.analysis.policies ?? [];
  const locate = (file: string) => service.locate(file);
  return {
    environments: async ({ uri, names, budgetMs }) => {
      const file = service.state(uri)?.file;
      if (!file) return [];
      return Promise.all(
        names.map(async (name) => {
          const there = await policiesInEnvironment(name, file, reader, budgetMs);
          return {
            name,
            file: there.file,
            policies: encodePolicies(policiesForLspThread(there.policies)),
          };
        }),
      );
    },
    preview: async ({ params, budgetMs }) => {
      const file = uriToPath(params.uri);
      const environment = typeof params.environment === 'string' ? params.environment : '';
      // In an environment: its env files answer env reads, and Django runs its settings module.
      const policies =
        environment && file
          ? (await policiesInEnvironment(environment, file, reader, budgetMs)).policies
          : policiesOf(params.uri);
      const [{ previewedPolicy, previewFor }, { launchRootOf, serverPortOf }, { previewServerAt }] =
        await previews();
      // The server URL the preview shows: the port the workspace says the app listens on.
      const policy = previewedPolicy(policies, params);
      const port =
        policy && (await serverPortOf(policy, reader, launchRootOf(policy.file, context.roots())));
      const server = port && (() => previewServerAt(port.port));
      return previewFor(policies, params, locate, server);
    },
    probe: async ({ params }, token) =>
      (await probes()).probeFor(params.uri ? policiesOf(params.uri) : [], params, locate, token),
    probeDefaults: async ({ uri }) =>
      (await probes()).probeDefaults(
        uri ? policiesOf(uri) : [],
        service.workspaceFacts().calls,
        reader,
        context.roots(),
      ),
    explain: async ({ params }) =>
      (await explains()).explainFor(params, {
        roots: context.roots(),
        reader,
        locate,
      }),
    startup: () => context.startup,
    idle: async () => {
      await context.idle();
      return null;
    },
  };
}

/** An error as it crosses to the LSP thread: a protocol error keeps its code. */
export async function questionError(error: unknown): Promise<QuestionError> {
  // Loaded already when a question module threw one of its errors.
  const { ResponseError } = await import('vscode-languageserver');
  return error instanceof ResponseError
    ? { message: error.message, code: error.code }
    : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
