import { analysisFailed } from '../analysis/analysis-failed';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeTree, checkPolicies, type Analysis } from '../analysis/analyze';
import { mayReport } from '../analysis/may-report';
import { RecordingReader } from '../base/recording-reader';
import { Budget } from '../base/budget';
import type { CorsLensSettings } from '../analysis/settings';
import type { GrammarId } from '../parsing/parser';
import { DocumentTrees } from '../parsing/document-trees';
import { BrokenCodeGuard } from './broken-guard';
import { toDiagnostic, type Located } from './diagnostics';
import { capFindings } from './diagnostic-cap';
import { grammarForText, textProblem, uriToPath } from './files';
import { walk } from '../analysis/walk';
import { WorkspaceIndex } from '../analysis/workspace-index';
import { isProjectFile } from '../workspace/frontend-project';
import type { WorkspaceFacts } from '../workspace/types';
import { LspSourceReader, locateFile, readDiskText } from './source-reader';

/** How many workspace files the start-up index reads at most. */
const MAX_INDEXED_FILES = 5000;

/** Which of a file's cross-file facts an analysis changed: its frontend calls, its app facts. */
export interface FactsChange {
  calls: boolean;
  app: boolean;
}

/** One analysis of a document's text: its findings, whether the parse met an error, and what else it read. */
interface Analysed {
  analysis: Analysis;
  broken: boolean;
  reads: [string, string | undefined][];
}

/** What the server knows about one open document after analysing one version of it. */
export interface DocumentState {
  uri: string;
  file: string;
  version: number;
  analysis: Analysis;
  diagnostics: Diagnostic[];
  /**
   * What the policies were extracted from: this text, and every other file read then with its text
   * (absent when disabled).
   */
  extractedFrom?: { text: string; reads: [string, string | undefined][]; broken: boolean };
}

/** What the analysis needs from the server: open documents, settings and a log. */
export interface AnalysisHost {
  document(uri: string): TextDocument | undefined;
  settings(uri: string): Promise<CorsLensSettings>;
  log(message: string): void;
}

/**
 * Analyses open documents: keeps their trees (edited incrementally), their latest analysis and the
 * diagnostics made from it. Knows files and findings, not frameworks.
 */
export class AnalysisService {
  private readonly trees = new DocumentTrees();
  private readonly states = new Map<string, DocumentState>();
  private readonly guard = new BrokenCodeGuard();
  private readonly skipped = new Set<string>();
  /** What each file's latest analysis changed of its cross-file facts. */
  private readonly changes = new Map<string, FactsChange>();
  private readonly reader: LspSourceReader;
  /** Frontend calls and app policies of the workspace, for cross-file checks (open folder + edited documents). */
  private readonly index: WorkspaceIndex;

  constructor(private readonly host: AnalysisHost) {
    this.reader = new LspSourceReader((uri) => host.document(uri));
    this.index = new WorkspaceIndex(this.reader);
  }

  /**
   * Analyses a document's current text and returns its diagnostics, or undefined when the
   * document changed while it was analysed (a newer analysis is queued; publishing this one would
   * flicker).
   */
  async validate(doc: TextDocument): Promise<Diagnostic[] | undefined> {
    const { uri, version } = doc;
    const file = uriToPath(uri);
    const text = doc.getText();
    const grammar = file && grammarForText(file, text);
    const problem = grammar ? textProblem(text) : undefined;
    if (!file || !grammar || problem) {
      if (problem && !this.skipped.has(uri)) {
        this.skipped.add(uri);
        this.host.log(`CORS Lens: skipping ${file}: ${problem}.`);
      }
      this.forget(uri);
      return [];
    }
    this.skipped.delete(uri);
    const settings = await this.host.settings(uri);
    // The app's facts are compared only when an open document reads apps: their text is the whole
    // policy, too dear to make on every keystroke otherwise.
    const before = {
      calls: this.index.factsKey(file, 'calls'),
      app: this.readsApps(file) ? this.index.factsKey(file, 'app') : undefined,
    };
    let failed = false;
    const { analysis, broken, reads } = await this.analyse(
      uri,
      file,
      grammar,
      text,
      settings,
    ).catch((error: unknown): Analysed => {
      // One document that throws gets one diagnostic; the server goes on serving the others.
      failed = true;
      this.host.log(
        `CORS Lens: analysing ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return {
        analysis: { policies: [], findings: [analysisFailed(file, error)] },
        broken: false,
        reads: [],
      };
    });
    this.changes.set(file, this.changed(uri, file, before));
    if (this.host.document(uri)?.version !== version) return undefined;
    const findings = this.guard.filter(uri, text, analysis.findings, broken);
    const own: Located = { uri, version, document: doc };
    const diagnostics = capFindings(file, findings, settings.maxDiagnosticsPerFile).map((f) =>
      toDiagnostic(f, own, (other) => this.locate(other)),
    );
    // A failed analysis is not reused: the next one tries again (and reports again).
    const extractedFrom = settings.enable && !failed ? { text, reads, broken } : undefined;
    this.states.set(uri, {
      uri,
      file,
      version,
      analysis: { ...analysis, findings },
      diagnostics,
      extractedFrom,
    });
    return diagnostics;
  }

  /** Extracts and checks a document's text, or only checks when nothing it was extracted from changed. */
  private async analyse(
    uri: string,
    file: string,
    grammar: GrammarId,
    text: string,
    settings: CorsLensSettings,
  ): Promise<Analysed> {
    const state = this.states.get(uri);
    const from = state?.extractedFrom;
    // An analysis that ran out of budget is tried again rather than reused.
    if (
      state &&
      from &&
      settings.enable &&
      state.analysis.overBudgetMs === undefined &&
      from.text === text &&
      from.reads.every(([f, t]) => this.reader.read(f) === t)
    ) {
      // Re-analysed for another file's sake (its calls or app changed): the policies, and this
      // file's own cross-file facts, are what they were; only the checks run again.
      return {
        analysis: checkPolicies(
          file,
          text,
          state.analysis.policies,
          this.reader,
          settings,
          this.index.facts(),
          from.broken,
          undefined,
          undefined,
          new Budget(settings.analysisBudgetMs),
        ),
        broken: from.broken,
        reads: from.reads,
      };
    }
    if (!mayReport(file, grammar, text)) {
      // Nothing in this text can report: no parse, and no tree held for it.
      this.trees.close(uri);
      this.index.updateAuth(file, text);
      await this.index.updateCalls(file, text);
      await this.index.updateApp(file, text);
      return { analysis: { policies: [], findings: [] }, broken: false, reads: [] };
    }
    const tree = await this.trees.update(uri, grammar, text);
    this.index.updateAuth(file, text);
    await this.index.updateCalls(file, text, tree);
    const reader = new RecordingReader(this.reader);
    const analysis = await analyzeTree(file, text, tree, reader, settings, this.index.facts());
    // The policies just extracted are the file's app facts (nginx in front of it reads them).
    await this.index.updateApp(file, text, analysis.policies, tree);
    return {
      analysis,
      broken: tree.hasError,
      reads: [...reader.reads].filter(([f]) => f !== file),
    };
  }

  /** Which of a file's cross-file facts its analysis changed, from their text before it. */
  private changed(uri: string, file: string, before: { calls: string; app?: string }): FactsChange {
    // A document just opened changes its readers' fixes even with the same facts: they now edit
    // the open document, by its version.
    const opened = !this.states.has(uri);
    const app = before.app === undefined ? undefined : this.index.factsKey(file, 'app');
    return {
      calls:
        before.calls !== this.index.factsKey(file, 'calls') ||
        (opened && this.index.hasCalls(file)),
      app: before.app !== app || (opened && this.index.hasApp(file)),
    };
  }

  /** The workspace's cross-file facts (frontend calls), e.g. for the probe panel's pre-filled headers. */
  workspaceFacts(): WorkspaceFacts {
    return this.index.facts();
  }

  /** The latest analysis of an open document. */
  state(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  /** Indexes the frontend calls of the files under the workspace folders (read from disk). */
  async indexFolders(roots: string[]): Promise<void> {
    // A file in no project (no marker above it) reads across files within its workspace folder.
    this.reader.scopes = roots;
    // A huge monorepo should not stall start-up: the first files (sorted) are indexed.
    for (const file of roots.flatMap((root) => walk(root)).slice(0, MAX_INDEXED_FILES)) {
      const text = readDiskText(file);
      if (text !== undefined) await this.index.update(file, text);
    }
  }

  /** What the latest analysis of `file` changed of its cross-file facts. */
  lastChange(file: string): FactsChange | undefined {
    return this.changes.get(file);
  }

  /**
   * Whether an open document other than `file` reads the workspace's apps (nginx in front of them,
   * frontend calls to them).
   */
  private readsApps(file: string): boolean {
    for (const state of this.states.values()) {
      if (
        state.file !== file &&
        (this.index.hasCalls(state.file) ||
          state.analysis.policies.some((p) => p.framework === 'nginx'))
      )
        return true;
    }
    return false;
  }

  /**
   * Open documents to re-analyse after `file` changed: those whose extraction read it; when its
   * frontend calls changed, those with a policy (the calls are checked against them); when its
   * app facts changed, those with frontend calls and nginx configurations; every document of its
   * folder when it is a frontend project file (`.env*`, `vite.config.*`: the calls' URLs
   * change). `change` defaults to everything (a file changed on disk, not analysed here).
   */
  dependents(file: string, change: FactsChange = { calls: true, app: true }): string[] {
    const out: string[] = [];
    // A project file's folder: its documents may have had calls that it now sends elsewhere.
    const project = isProjectFile(file) ? path.dirname(file) + path.sep : undefined;
    for (const state of this.states.values()) {
      if (state.file === file) continue;
      // Files read by the last extraction, absent ones too (an imported module created later).
      const reads =
        state.extractedFrom?.reads.some(([f]) => f === file) ||
        state.analysis.policies.some((p) => p.files.includes(file));
      const inProject = !!project && state.file.startsWith(project);
      const readsCalls = change.calls && state.analysis.policies.length > 0;
      const readsApps =
        change.app &&
        (this.index.hasCalls(state.file) ||
          state.analysis.policies.some((p) => p.framework === 'nginx'));
      if (reads || inProject || readsCalls || readsApps) out.push(state.uri);
    }
    return out;
  }

  /**
   * A watched file changed on disk: a frontend project file (`.env*`, `vite.config.*`,
   * `package.json`) is read anew, so the calls of its folder resolve with it.
   */
  async changedOnDisk(file: string): Promise<void> {
    await this.index.updateProject(file);
  }

  /** Text of any file a fix edits: the open document (versioned) or the disk. */
  locate(file: string): Located | undefined {
    return locateFile(file, (uri) => this.host.document(uri));
  }

  /** Reads a file as the extractors do (open documents first). */
  read(file: string): string | undefined {
    return this.reader.read(file);
  }

  forget(uri: string): void {
    this.trees.close(uri);
    this.states.delete(uri);
    this.guard.forget(uri);
    // A closed document's calls are what its file on disk says (none when it was never saved).
    const file = uriToPath(uri);
    if (file) this.changes.delete(file);
    const disk = file && readDiskText(file);
    if (file && disk === undefined) this.index.remove(file);
    else if (file && disk !== undefined)
      void this.index.update(file, disk).catch(() => this.index.remove(file));
  }

  dispose(): void {
    this.trees.dispose();
    this.states.clear();
  }
}
