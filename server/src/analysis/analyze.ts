import path from 'node:path';
import type { SourceTree } from '../parsing/source-tree';
import { neutralChecks } from '../checks';
import { frameworkOf, frameworks, extractPolicies } from '../frameworks';
import {
  docsUrl,
  type Check,
  type CheckContext,
  type Finding,
  type Report,
  type Severity,
} from '../checks/types';
import type { SourceReader } from '../base/source-reader';
import type { Policy } from '../policy/types';
import { globMatch } from '../base/glob';
import { grammarForText, type GrammarId } from '../parsing/languages';
import type { WorkspaceFacts } from '../workspace/types';
import type { CorsLensSettings } from './settings';
import { Budget, OverBudget, withBudget } from '../base/budget';
import { inEnvironment } from '../environment/scope';
import { environmentOf, runsInProduction, unchosenSettings } from '../environment/resolve';
import { unservedPythonApp } from '../lang/python/unserved-app';
import { unloadedSettingsFragment } from '../lang/python/unloaded-settings';
import type { EnvRead, Environment } from '../environment/types';
import { extractLabelled } from './branch-environments';
import { isTestModule, testCode } from '../workspace/test-module';
import { projectRootOf } from '../base/project-root';

/** Every check: the neutral ones, then each framework's own. */
export const checks: readonly Check[] = [
  ...neutralChecks,
  ...frameworks.flatMap((framework) => framework.checks),
];

export interface Analysis {
  /** The policies the file configures (none when it configures no CORS). */
  policies: Policy[];
  findings: Finding[];
  /** The analysis stopped at its budget (ms), in `overBudgetPhase`. */
  overBudgetMs?: number;
  /**
   * Where the budget ran out: `extraction` (the policies are not known, none is checked) or
   * `checks` (the policies are known; the checks' findings are dropped, see `checkPolicies`).
   */
  overBudgetPhase?: OverBudgetPhase;
}

/** The phase of a file's analysis that ran out of its budget. */
export type OverBudgetPhase = 'extraction' | 'checks';

/**
 * Runs every enabled check on one file. `tree` is the file's current tree (the LSP keeps it
 * incrementally); `reader` gives the text of other files the settings import (open documents
 * first, then disk).
 */
export async function analyzeTree(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  settings: CorsLensSettings,
  workspace?: WorkspaceFacts,
): Promise<Analysis> {
  if (!settings.enable) return { policies: [], findings: [] };
  // By the text too: the editor parses a `default.conf.tpl` or `sites-available/api` as nginx
  // when its text is nginx, and its extraction must read it as such.
  const grammar = grammarForText(file, text);
  // The environment chosen in the editor: its env files answer the code's env reads.
  const environment = settings.environment
    ? environmentOf(settings.environment, file, reader)
    : undefined;
  // One budget for the extraction and the checks that follow it.
  const budget = new Budget(settings.analysisBudgetMs);
  const extracted = grammar
    ? await extractWithin(
        settings.analysisBudgetMs,
        () => extractLabelled(grammar, file, text, tree, reader, budget),
        environment,
      )
    : { policies: [] };
  // Only calls that change target in production are replayed against production's values.
  const production =
    grammar && workspace?.proxied?.length
      ? await productionPolicies(file, text, tree, grammar, extracted.policies, reader, settings)
      : undefined;
  return checkPolicies(
    file,
    text,
    extracted.policies,
    reader,
    settings,
    workspace,
    tree.hasError,
    extracted.overBudgetMs,
    production,
    budget,
  );
}

/**
 * The file's policies as production runs them (extracted again with production's env files and
 * deployment variables), when they read environment variables and the file runs in production;
 * undefined otherwise (the analysed policies are production's, or production never runs them).
 */
export async function productionPolicies(
  file: string,
  text: string,
  tree: SourceTree,
  grammar: GrammarId,
  policies: readonly Policy[],
  reader: SourceReader,
  settings: Pick<CorsLensSettings, 'analysisBudgetMs'>,
): Promise<Policy[] | undefined> {
  if (!policies.some((p) => p.envReads?.length) || !runsInProduction(file, reader))
    return undefined;
  const budgetMs = settings.analysisBudgetMs;
  const { policies: production, overBudgetMs } = await extractWithin(
    budgetMs,
    () => extractPolicies(grammar, file, text, tree, reader, new Budget(budgetMs)),
    environmentOf('production', file, reader),
  );
  return overBudgetMs === undefined ? production : undefined;
}

/** A settings module named for the test run: `test.py`, `tests.py`, `testing.py`, `test_settings.py`. */
const TEST_SETTINGS = /^(?:tests?|testing|test_settings|settings_tests?)\.py$/i;

/** A severity lowered to a note when it is above one. */
const atMostNote = (severity: Severity): Severity =>
  severity === 'error' || severity === 'warning' ? 'info' : severity;

/** The policy of `production` that is `policy`'s setup (the same place, else the same index). */
function counterpart(policy: Policy, policies: readonly Policy[], production: readonly Policy[]) {
  const at = policy.at;
  const same = at
    ? production.find(
        (p) =>
          p.framework === policy.framework && p.at?.file === at.file && p.at.start === at.start,
      )
    : undefined;
  const index = policies.indexOf(policy);
  return same ?? (production.length === policies.length && index >= 0 ? production[index] : policy);
}

/** Runs an extraction; one that spends its budget gives no policies and says so (never a silent miss). */
export async function extractWithin(
  budgetMs: number,
  extract: () => Promise<Policy[]>,
  environment?: Environment,
): Promise<{ policies: Policy[]; overBudgetMs?: number }> {
  try {
    const { result, reads } = await inEnvironment(environment, extract);
    return { policies: withEnvReads(result, reads) };
  } catch (error) {
    if (error instanceof OverBudget) return { policies: [], overBudgetMs: budgetMs };
    throw error;
  }
}

/**
 * A report about a value the policy's file imported (an origin of a list another module exports)
 * moves to the policy, whose file is checked, and loses its edit (see `Policy.valuesFrom`).
 */
function atPolicy(policy: Policy, report: Report): Report {
  if (!policy.at || !policy.valuesFrom?.includes(report.span.file)) return report;
  const from = path.basename(report.span.file);
  return {
    ...report,
    span: policy.at,
    message: `${report.message} It is listed in ${from}.`,
    fix: undefined,
  };
}

/** Gives each policy the env reads made in the files it was built from. */
function withEnvReads(policies: Policy[], reads: EnvRead[]): Policy[] {
  if (!reads.length) return policies;
  for (const policy of policies) {
    const own = reads.filter(
      (r) => r.span.file === policy.file || policy.files.includes(r.span.file),
    );
    if (own.length) policy.envReads = own;
  }
  return policies;
}

/** Runs every enabled check on the policies already extracted from one file. */
export function checkPolicies(
  file: string,
  text: string,
  policies: Policy[],
  reader: SourceReader,
  settings: CorsLensSettings,
  workspace?: WorkspaceFacts,
  syntaxError = false,
  overBudgetMs?: number,
  /** The policies as production runs them (`productionPolicies`), when they differ. */
  asDeployed?: readonly Policy[],
  /** The file's budget (what its extraction left of it): the checks stop when it runs out. */
  budget?: Budget,
): Analysis {
  if (!settings.enable) return { policies: [], findings: [] };
  // One context per file the policies come from (an nginx.conf has hundreds of location policies,
  // every check asks for each: matching the globs per ask was most of an edit's time).
  const contexts = new Map<string, CheckContext>();
  const contextFor = (of: string): CheckContext => {
    let context = contexts.get(of);
    if (!context) {
      const production =
        settings.productionPatterns.some((p) => globMatch(p, of)) &&
        !settings.devPatterns.some((p) => globMatch(p, of));
      const deployed = new Map<string, boolean>();
      context = {
        allowedOrigins: settings.allowedOrigins,
        production,
        runsInProduction: (f: string) => {
          if (settings.devPatterns.some((p) => globMatch(p, f))) return false;
          if (settings.productionPatterns.some((p) => globMatch(p, f))) return true;
          let known = deployed.get(f);
          if (known === undefined) deployed.set(f, (known = runsInProduction(f, reader)));
          return known;
        },
        text: (f: string) => (f === file ? text : (reader.read(f) ?? '')),
        inProduction: (policy: Policy) =>
          asDeployed ? counterpart(policy, policies, asDeployed) : policy,
        workspace,
        framework: frameworkOf,
      };
      contexts.set(of, context);
    }
    return context;
  };
  // A development settings module built on the shared ones (settings/dev.py star-importing
  // base): what it opens is the developer's machine. A dev-named file that others import (the
  // `from .local_settings import *` idiom) is part of every environment and stays checked.
  // One the deployed entry point's settings module runs (settings/__init__.py star-importing
  // development.py, which wsgi.py names: Allotease-backend, held-out batch 51) is production's.
  const devRoot =
    settings.devPatterns.some((p) => globMatch(p, file)) &&
    policies.some((policy) => policy.file === file && (policy.files?.length ?? 0) > 1) &&
    !environmentOf('production', file, reader).settingsFiles?.includes(file);
  // Of those, one named for the test run (settings/test.py, picked by `pytest --ds`): its choices
  // shape no server anyone's browser reaches, so what it says is a note at most (MuckRock, held-out
  // batch 41: its trimmed MIDDLEWARE "for speed" was an error).
  const testRoot = devRoot && TEST_SETTINGS.test(path.basename(file));
  // A Django settings file no entry point loads, outside the chosen module's folder, or a Python
  // app that serves nothing and nothing launches: notes at most.
  const unchosen =
    (policies.some((policy) => policy.file === file && policy.framework === 'django') &&
      (unchosenSettings(file, reader) || unloadedSettingsFragment(file, text, reader))) ||
    (policies.some(
      (policy) => policy.file === file && ['flask-cors', 'starlette'].includes(policy.framework),
    ) &&
      unservedPythonApp(file, text, reader));
  const enabled = checks.filter((check) => settings.severity[check.id] !== 'off');
  // An extraction that ran out has no policies to check: its budget is not the checks' to report.
  const bound = overBudgetMs === undefined ? budget : undefined;
  const findings: Finding[] = [];
  // Two policies of one setup (a helper called on two paths) find the same thing: said once.
  const said = new Set<string>();
  // A test module's server is a fixture that never serves a browser (open-notebook's test app,
  // held-out batch 12): what it sets up is no finding.
  // By its path inside its project (a project kept in a folder named `test` is no test) and its
  // code: a settings module named for a test run (onadata's `travis_test.py`) still configures one.
  const testModule =
    isTestModule(path.relative(projectRootOf(file, reader.scopes), file), text) && testCode(text);
  const keep = (check: Check, reports: Report[]) => {
    const override = settings.severity[check.id];
    for (const report of reports) {
      // Findings in other files are reported where they are, by the analysis of that file.
      if (report.span.file !== file || testModule) continue;
      if (check.productionOnly && devRoot) continue;
      const key = `${check.id}\0${report.span.start}\0${report.span.end}\0${report.message}`;
      if (said.has(key)) continue;
      said.add(key);
      bound?.found();
      findings.push({
        check: check.id,
        docs: docsUrl(check.id),
        ...report,
        severity:
          override && override !== 'off'
            ? override
            : testRoot || unchosen
              ? atMostNote(report.severity ?? check.severity)
              : (report.severity ?? check.severity),
      });
    }
  };
  const report = (check: Check, found: Policy[]) => {
    // A setup the library never runs (dead settings) only gets its framework's own checks; one
    // that never loads at all (`inactive.unloaded`: its note says why) gets none.
    const own = (
      check.frameworks
        ? found.filter(
            (policy) => check.frameworks?.includes(policy.framework) && !policy.inactive?.unloaded,
          )
        : found.filter((policy) => !policy.inactive)
    ).filter(
      (policy) =>
        !check.productionOnly || !policy.environments || policy.environments.includes('production'),
    );
    keep(
      check,
      own.flatMap((policy) => {
        bound?.check();
        const reports = check.run?.(policy, contextFor(policy.file)) ?? [];
        return policy.valuesFrom ? reports.map((r) => atPolicy(policy, r)) : reports;
      }),
    );
  };
  // A frontend file has no policy of its own: its calls are checked against the workspace's apps.
  const apps = workspace?.calls.some((c) => c.span.file === file)
    ? appPolicies(workspace, file)
    : [];
  const runChecks = () => {
    for (const check of enabled) report(check, policies);
    if (apps.length) for (const check of enabled.filter((c) => c.crossFile)) report(check, apps);
    // The findings' report, charged as they were found, counts too.
    bound?.check();
  };
  let phase: OverBudgetPhase | undefined = overBudgetMs === undefined ? undefined : 'extraction';
  try {
    if (bound) withBudget(bound, runChecks);
    else runChecks();
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    // The findings made before the budget ran out are dropped, not kept: which ones those are
    // depends on the machine's speed, and part of a file's findings would read as all of them.
    // The file gets `analysis-over-budget` alone (and the file checks below), as when its
    // extraction runs out.
    findings.length = 0;
    said.clear();
    overBudgetMs = error.budgetMs;
    phase = 'checks';
  }
  for (const check of enabled)
    if (check.runOnFile)
      keep(
        check,
        check.runOnFile(
          { path: file, text, policies, syntaxError, overBudgetMs, overBudgetPhase: phase },
          contextFor(file),
        ),
      );
  findings.sort((a, b) => a.span.start - b.span.start || a.check.localeCompare(b.check));
  return overBudgetMs === undefined
    ? { policies, findings }
    : { policies, findings, overBudgetMs, overBudgetPhase: phase };
}

/** The policies of the workspace's apps other than `file` itself. */
function appPolicies(workspace: WorkspaceFacts, file: string): Policy[] {
  return (workspace.apps ?? []).filter((app) => app.file !== file).flatMap((app) => app.policies);
}
