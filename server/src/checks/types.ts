import type { Fix } from '../policy/edits';
import type { FrameworkId, Policy, Span } from '../policy/types';
import type { LibraryModel } from '../replay/library-model';
import type { WorkspaceFacts } from '../workspace/types';
import type { FrameworkFixes } from './framework-fixes';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** What a check reports; `check` and `severity` are filled in by the runner. */
export interface Finding {
  check: string;
  severity: Severity;
  message: string;
  span: Span;
  docs: string;
  fix?: Fix;
  /** Other places the finding is about (a frontend call in another file), for LSP relatedInformation. */
  related?: { span: Span; message: string }[];
}

/** A framework's development server: where a workspace's frontend reaches it, where the probe asks. */
export interface DevServer {
  /** The port it listens on unless told otherwise (`manage.py runserver`: 8000). */
  port: number;
  /**
   * The ports a frontend call may use to reach it; undefined: any (apps that pick their port in
   * code, like Express). A call to another port is meant for another server of the workspace.
   */
  callPorts?: readonly number[];
  /**
   * The words of a launch command that starts it (`runserver`, `uvicorn`): a command in a
   * `package.json`, `Procfile` or compose file that names another framework's words starts
   * another app.
   */
  launchWords?: RegExp;
  /** The ports the setup itself says it listens on (nginx's `listen`), when it can say. */
  listenPorts?(policy: Policy): number[];
  /**
   * Request paths of the app's own routes that the policy's CORS layer runs for (Express's
   * `app.get('/api/items')` after `app.use(cors())`), in registration order: a path worth
   * pre-filling in the preview and the probe when the policy names none.
   */
  coveredRoutes?(policy: Policy): string[];
}

/**
 * What the neutral checks may ask of a policy's framework. The analysis passes the framework's
 * descriptor in (`CheckContext.framework`), so no check imports a framework.
 */
export interface FrameworkServices {
  /** What the library sends for a request. */
  model: LibraryModel;
  /**
   * What the library sends with the workspace's other parts behind it, where they change the
   * answer (nginx: the app of the workspace its `proxy_pass` reaches adds its own headers).
   */
  modelInWorkspace?(policy: Policy, context: CheckContext): LibraryModel;
  /** Edits in the framework's syntax. */
  fixes: FrameworkFixes;
  devServer: DevServer;
  /** Origins the framework's own settings name as its frontends (allauth's HEADLESS_FRONTEND_URLS). */
  frontendOrigins?(policy: Policy): string[];
  /**
   * Origins the settings name for the production site, each with the setting it came from
   * (Django's `CSRF_TRUSTED_ORIGINS`, `ALLOWED_HOSTS`): where a production frontend may be served.
   */
  siteOrigins?(policy: Policy): { origin: string; from: string }[];
  /**
   * The CORS headers (lower-case) the framework's own checks report lost from the policy's
   * answers (nginx: an `add_header` level that drops the enclosing level's), so that a neutral
   * check does not report the same loss again.
   */
  lostHeaders?(policy: Policy, context: CheckContext): string[];
}

/** What a check sees besides the policy. */
export interface CheckContext {
  /** Origins the user wants fixes to use (`corsLens.allowedOrigins`). */
  allowedOrigins: string[];
  /** The file looks like production settings (by `corsLens.productionPatterns`). */
  production: boolean;
  /**
   * The file runs in production: `production`, or the project's own choice (its production
   * settings module and what it imports, or its code when it writes a production env file).
   */
  runsInProduction(file: string): boolean;
  /**
   * The policy as production runs it: extracted again with production's environment variables
   * when its values read them (and the analysis had a reason to); absent or the policy itself
   * otherwise.
   */
  inProduction?(policy: Policy): Policy;
  /** The text of a file the policy came from (for fixes that keep its style). */
  text(file: string): string;
  /** Cross-file facts (frontend calls), when the front end indexed the workspace. */
  workspace?: WorkspaceFacts;
  /** The model, fixes and dev server of a policy's framework. */
  framework(policy: Policy): FrameworkServices;
}

/** A file with the policies extracted from it, for checks about the file as a whole. */
export interface AnalysedFile {
  path: string;
  text: string;
  policies: readonly Policy[];
  /** The file has a syntax error (mid-typing): what it sets up may not be readable yet. */
  syntaxError: boolean;
  /** The analysis stopped at its time budget (this many ms), in `overBudgetPhase`. */
  overBudgetMs?: number;
  /**
   * `extraction`: the policies are not all known (none is checked); `checks`: the policies are
   * known, but the checks ran out before they were done (their findings are dropped).
   */
  overBudgetPhase?: 'extraction' | 'checks';
}

export type Report = Omit<Finding, 'check' | 'severity' | 'docs'> & { severity?: Severity };

/** One rule: its metadata and what it finds in a policy. */
export interface Check {
  id: string;
  /** Default severity; a report may raise or lower it (e.g. wildcard with credentials). */
  severity: Severity;
  /** How a report's severity departs from the default, for the docs tables ("error with credentials"). */
  severityNote?: string;
  /** One line for docs and the README. */
  description: string;
  /** What its quick fix does, for the docs tables; absent: the check offers no fix. */
  fix?: {
    description: string;
    /**
     * `safe`: the edit keeps every request that worked working; `review`: read the edit first (it
     * narrows who gets in).
     */
    safety: 'safe' | 'review';
  };
  /** The frameworks whose facts it reads; absent: a neutral check that runs on every policy. */
  frameworks?: readonly FrameworkId[];
  run?(policy: Policy, context: CheckContext): Report[];
  /** A check about a file as a whole (what none of its policies shows), run once per file. */
  runOnFile?(file: AnalysedFile, context: CheckContext): Report[];
  /**
   * The check also reports at frontend calls in other files: the analysis of a file with calls
   * runs it against the policies of the workspace's apps and keeps the reports in that file.
   */
  crossFile?: boolean;
  /**
   * Who may call the API is a production question: not reported in a development settings module
   * (`corsLens.devPatterns`) built on the shared settings (settings/dev.py star-importing base),
   * which opens a developer's own machine to their dev frontend.
   */
  productionOnly?: boolean;
}

export const docsUrl = (id: string): string =>
  `https://github.com/cors-lens/cors-lens/blob/main/docs/checks/${id}.md`;
