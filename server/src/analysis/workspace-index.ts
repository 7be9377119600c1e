import path from 'node:path';
import type { SourceTree } from '../parsing/source-tree';
import { DiskReader } from '../base/disk-reader';
import { grammarForText } from '../parsing/languages';
import { extractPolicies, frameworkOf } from '../frameworks';
import type { SourceReader } from '../base/source-reader';
import { parseText } from '../parsing/parser';
import type { Policy } from '../policy/types';
import { explicitPorts } from '../workspace/app-ports';
import { launchPortsFor, launchRootOf } from './server-ports';
import { collectFrontendCalls, mayHoldCalls, runsInBrowser } from '../workspace/frontend-calls';
import { FrontendProjects } from '../workspace/frontend-project';
import type {
  AuthSignAt,
  FrontendCall,
  ProxiedCall,
  WorkspaceApp,
  WorkspaceFacts,
} from '../workspace/types';
import { proxiedCalls } from '../workspace/proxied-calls';
import { pythonAuthSigns } from '../lang/python/auth-signs';
import { javascriptAuthSigns } from '../lang/javascript/auth-signs';
import { rubyAuthSigns, rubyFileAuthSigns } from '../lang/ruby/auth-signs';
import { phpAuthSigns } from '../lang/php/auth-signs';
import type { AuthSign } from '../lang/auth-signs';
import { isTestModule } from '../workspace/test-module';
import { projectRootOf } from '../base/project-root';

/** The readers of how a file authenticates, by its grammar. */
/**
 * A bundler's output (`static/assets/Dashboard-BaUJFZYb.js`, a minified line): the frontend's
 * code compiled, whose cookie words are the page's own, not the server's (localstorm's FastAPI
 * static folder, held-out batch 49: its bearer-token API was called cookie-authenticated).
 */
function builtBundle(file: string, text: string): boolean {
  if (/[\\/]assets[\\/][^\\/]+-[\w-]{8}\.m?js$/.test(file)) return true;
  const firstLine = text.indexOf('\n');
  return text.length > 5000 && (firstLine < 0 ? text.length : firstLine) > 2000;
}

const AUTH_SIGNS: Record<string, typeof pythonAuthSigns | undefined> = {
  python: pythonAuthSigns,
  javascript: javascriptAuthSigns,
  typescript: javascriptAuthSigns,
  tsx: javascriptAuthSigns,
  ruby: rubyAuthSigns,
  php: phpAuthSigns,
};

/** Text that may set up CORS: only such files are parsed for app policies. */
const CORS_SIGNAL = /cors|access-control-allow-origin/i;

/**
 * The workspace's cross-file facts, kept per file: the CLI fills it from the files it walks, the
 * LSP from the open folder and every edited document. Cheap to query; `update` parses one file.
 * `reader` gives the files an app's settings import.
 */
/** A searched file's project root and first auth signs of each kind. */
type FileSigns = { root: string } & {
  [
    kind in 'cookie' | 'header' | 'keyHeader' | 'anyAuth' | 'sameSite' | 'sameSiteNone'
  ]?: AuthSignAt;
};

export class WorkspaceIndex {
  private readonly calls = new Map<string, FrontendCall[]>();
  private readonly proxied = new Map<string, ProxiedCall[]>();
  private readonly apps = new Map<string, WorkspaceApp>();
  /** Files searched for how they authenticate (Python, JS/TS): their project root and first signs. */
  private readonly auth = new Map<string, FileSigns>();
  /** Texts of the files with calls: a changed `.env`/vite config resolves their URLs anew. */
  private readonly callSources = new Map<string, string>();
  private readonly projects: FrontendProjects;

  /**
   * `filesChange`: project files (`.env*`, package.json, a vite or Next config) may change while
   * the index lives (the editor), so reading one re-resolves the calls of its folder. `check`
   * reads each file once from an unchanging disk: there that re-resolution would only repeat what
   * the first read did, thousands of files at a time in a large app (simstudioai/sim's
   * next.config.ts, held-out batch 6, charged ~1 s a run).
   */
  constructor(
    private readonly reader: SourceReader = new DiskReader(),
    private readonly filesChange = true,
  ) {
    this.projects = new FrontendProjects(reader);
  }

  /** Re-reads one file's facts (frontend calls, app policies) from its current text; other languages are ignored. */
  async update(file: string, text: string): Promise<void> {
    this.updateAuth(file, text);
    await this.updateCalls(file, text);
    await this.updateApp(file, text);
  }

  /**
   * Re-reads one file's frontend calls (and, for a vite config, those of its project). `tree`:
   * the file's current tree when the caller has one (the LSP), so it is not parsed again.
   */
  async updateCalls(file: string, text: string, tree?: SourceTree): Promise<void> {
    await this.updateProject(file);
    await this.collect(file, text, tree);
  }

  private async collect(file: string, text: string, given?: SourceTree): Promise<void> {
    const grammar = grammarForText(file, text);
    if (
      !grammar ||
      !['javascript', 'typescript', 'tsx'].includes(grammar) ||
      !mayHoldCalls(text) ||
      !runsInBrowser(file, text)
    ) {
      this.calls.delete(file);
      this.proxied.delete(file);
      this.callSources.delete(file);
      return;
    }
    this.callSources.set(file, text);
    const project = await this.projects.of(file);
    const tree = given ?? (await parseText(grammar, text));
    try {
      const calls = collectFrontendCalls(file, tree, project);
      this.calls.set(file, calls);
      // Only a project with a dev proxy, or with cross-origin calls (whose base URL the
      // production build may change), has calls that change target between dev and production.
      const production =
        project.proxies.length || calls.length
          ? await this.projects.of(file, 'production')
          : undefined;
      if (production) this.proxied.set(file, proxiedCalls(file, tree, calls, project, production));
      else this.proxied.delete(file);
    } finally {
      if (!given) tree.delete();
    }
  }

  /** Whether a folder holds a service's own dependency list or image (cached per folder). */
  private readonly serviceFolders = new Map<string, boolean>();

  /**
   * The service a file belongs to, for its auth: the nearest folder up to its project root with
   * a `Dockerfile` or `requirements.txt` of its own. A monorepo's services authenticate each in
   * its own way (openreplay's bearer-only ML service beside a cookie-refreshing API, held-out
   * batch 11).
   */
  private serviceRootOf(file: string): string {
    const root = projectRootOf(file, this.reader.scopes);
    for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
      if (dir === root || dir === path.dirname(dir)) return root;
      let service = this.serviceFolders.get(dir);
      if (service === undefined) {
        service = ['Dockerfile', 'requirements.txt'].some(
          (name) => this.reader.read(path.join(dir, name)) !== undefined,
        );
        this.serviceFolders.set(dir, service);
      }
      if (service) return dir;
    }
  }

  /**
   * Re-reads how one file authenticates (regexes over a Python, JavaScript/TypeScript or Ruby
   * file's text; nothing else is read).
   */
  updateAuth(file: string, text: string): void {
    // A test's helpers (`def login_user(self, ...)` in localstorm's tests, held-out batch 49)
    // show how the tests drive the app, not how it authenticates.
    const ignored =
      builtBundle(file, text) || isTestModule(path.relative(projectRootOf(file), file), text);
    const grammar = grammarForText(file, text) ?? '';
    const reader = ignored ? undefined : AUTH_SIGNS[grammar];
    if (!reader) {
      this.auth.delete(file);
      return;
    }
    const root = this.serviceRootOf(file);
    // Ruby's signs depend on the Rails app's config (an API-only app keeps no cookie session).
    const signs = grammar === 'ruby' ? rubyFileAuthSigns(file, text, this.reader) : reader(text);
    const at = (found: AuthSign | undefined) =>
      found && {
        file,
        root,
        sign: found.sign,
        span: { file, start: found.start, end: found.end },
        ...(found.header ? { header: found.header } : {}),
        ...(found.byDefault ? { byDefault: true as const } : {}),
      };
    // A test module calls the app (or a stand-in upstream) as a client: the tokens it sends show
    // how its requests are built, not how the app reads them.
    const test = isTestModule(file, text);
    const header = test ? undefined : at(signs.header);
    const keyHeader = test ? undefined : at(signs.keyHeader);
    this.auth.set(file, {
      root,
      cookie: at(signs.cookie),
      header,
      keyHeader,
      anyAuth: test ? undefined : at(signs.anyAuth),
      sameSite: test ? undefined : at(signs.sameSite),
      sameSiteNone: at(signs.sameSiteNone),
    });
  }

  /**
   * Re-reads one file's app policies (nginx in front of it reads them). `policies`: the file's
   * policies when the caller has just extracted them (the LSP's analysis), so they are not
   * extracted twice.
   */
  async updateApp(
    file: string,
    text: string,
    policies?: Policy[],
    given?: SourceTree,
  ): Promise<void> {
    const grammar = grammarForText(file, text);
    this.apps.delete(file);
    // Laravel's config/cors.php may say `cors` in its name only.
    const signal = CORS_SIGNAL.test(text) || CORS_SIGNAL.test(path.basename(file));
    if (!grammar || grammar === 'nginx' || !signal) return;
    const apps = (list: Policy[]) => list.filter((p) => p.configured && p.framework !== 'nginx');
    // Policies already at hand: parse only for the ports, and only when the file is an app.
    if (policies && !apps(policies).length) return;
    const tree = given ?? (await parseText(grammar, text));
    try {
      const own = apps(policies ?? (await extractPolicies(grammar, file, text, tree, this.reader)));
      if (!own.length) return;
      const framework = own[0].framework;
      const explicit = explicitPorts(grammar, tree, text);
      this.apps.set(file, {
        file,
        framework,
        policies: own,
        ports: explicit.length ? explicit : [frameworkOf({ framework }).devServer.port],
        // A launch file (a compose file's published port, `PORT=` in a script) may put it on
        // another port than its code says: then the code's port alone does not rule calls out.
        listens: explicit.length
          ? [
              ...explicit,
              ...launchPortsFor(
                file,
                launchRootOf(file, this.reader.scopes ?? []),
                this.reader,
              ).map((l) => l.port),
            ]
          : [],
      });
    } finally {
      if (!given) tree.delete();
    }
  }

  /**
   * A `.env*`, `package.json` or `vite.config.*` changed (its text is read through the reader):
   * the calls of the files in its folder resolve anew.
   */
  async updateProject(file: string): Promise<void> {
    if (!this.filesChange || !this.projects.invalidate(file)) return;
    const folder = path.dirname(file) + path.sep;
    for (const [source, text] of [...this.callSources])
      if (source.startsWith(folder)) await this.collect(source, text);
  }

  /** Whether a file holds frontend calls (its analysis runs the cross-file checks against the apps). */
  hasCalls(file: string): boolean {
    return (this.calls.get(file)?.length ?? 0) > 0;
  }

  /** Whether a file holds calls that change target in production (the backends' works-in-dev-only reads them). */
  private hasProxied(file: string): boolean {
    return (this.proxied.get(file)?.length ?? 0) > 0;
  }

  /** Whether a file is an app (its policies are what nginx in front and frontend calls meet). */
  hasApp(file: string): boolean {
    return this.apps.has(file);
  }

  /** Whether a file holds frontend calls or app policies (its edits change other files' cross-file findings). */
  has(file: string): boolean {
    return this.hasCalls(file) || this.hasProxied(file) || this.apps.has(file);
  }

  /**
   * A file's cross-file facts as text, to tell whether an update changed them: `calls` (what the
   * backends' checks read) or `app` (what nginx in front and the frontend calls' checks read).
   */
  factsKey(file: string, kind: 'calls' | 'app'): string {
    return JSON.stringify(
      kind === 'calls'
        ? [this.calls.get(file) ?? [], this.proxied.get(file) ?? []]
        : (this.apps.get(file) ?? null),
    );
  }

  remove(file: string): void {
    this.calls.delete(file);
    this.proxied.delete(file);
    this.callSources.delete(file);
    this.apps.delete(file);
    this.auth.delete(file);
  }

  /** Every file's facts, as checks read them. */
  /** One kind of auth sign, from each searched file that has one. */
  private signsOf(kind: Exclude<keyof FileSigns, 'root'>): AuthSignAt[] {
    return [...this.auth.values()].flatMap((signs) => signs[kind] ?? []);
  }

  facts(): WorkspaceFacts {
    return {
      calls: [...this.calls.values()].flat(),
      proxied: [...this.proxied.values()].flat(),
      apps: [...this.apps.values()],
      auth: {
        searched: Object.fromEntries([...this.auth].map(([file, { root }]) => [file, root])),
        cookies: this.signsOf('cookie'),
        headers: this.signsOf('header'),
        keyHeaders: this.signsOf('keyHeader'),
        anyAuth: this.signsOf('anyAuth'),
        // What the code writes first: a default is cited only where no file writes a value.
        sameSite: this.signsOf('sameSite').sort((a, b) => +!!a.byDefault - +!!b.byDefault),
        sameSiteNone: this.signsOf('sameSiteNone'),
      },
    };
  }
}
