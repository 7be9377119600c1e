import path from 'node:path';
import {
  checkPolicies,
  extractWithin,
  productionPolicies,
  type Analysis,
} from '../analysis/analyze';
import { Budget, OverBudget, withBudget } from '../base/budget';
import { extractLabelled } from '../analysis/branch-environments';
import type { SourceReader } from '../base/source-reader';
import type { Policy } from '../policy/types';
import type { WorkspaceIndex } from '../analysis/workspace-index';
import { defaultSettings, type CorsLensSettings } from '../analysis/settings';
import type { DiskReader } from '../base/disk-reader';
import { parseText, type GrammarId } from '../parsing/parser';
import { grammarForText, maySniff, grammarFor } from '../parsing/languages';
import { mayReport } from '../analysis/may-report';
import type { WorkspaceFacts } from '../workspace/types';
import type { Environment } from '../environment/types';
import { generatedScript } from '../workspace/frontend-calls';

const JS_GRAMMARS: GrammarId[] = ['javascript', 'typescript', 'tsx'];

/** One file's analysis, or why it was not analysed. */
export type FileResult =
  | { file: string; text: string; analysis: Analysis; syntaxError: boolean }
  | { file: string; problem: string };

/** What one parse of a file gives: its policies, and whether the parse met a syntax error. */
export interface FileFacts {
  policies: Policy[];
  syntaxError: boolean;
  /** The extraction stopped at its budget (ms): reported by `analysis-over-budget`. */
  overBudgetMs?: number;
  /** CPU time (ms) the parse and extraction used of the file's budget; the checks get the rest. */
  spentMs: number;
  /** The policies as production runs them, when they read env vars (see `productionPolicies`). */
  production?: Policy[];
}

/**
 * Parses a file once and extracts its policies; `index`, when given, also takes the file's
 * frontend calls and app facts from the same tree (a check run parses each file once).
 * `budgetMs` bounds the extraction (see `CorsLensSettings.analysisBudgetMs`).
 */
export async function extractFile(
  file: string,
  grammar: GrammarId,
  text: string,
  reader: SourceReader,
  index?: WorkspaceIndex,
  budgetMs = defaultSettings.analysisBudgetMs,
  environment?: Environment,
): Promise<FileFacts> {
  // The parse counts against the budget: a huge file's extraction then stops that much sooner.
  // So do the file's read and its tree's deletion, which no step that checks the budget sees.
  const budget = new Budget(budgetMs, text.length * answerMsPerChar);
  // A generated bundle (minified, or over 512 KB) is not where a CORS setup is written or fixed:
  // it is not parsed (its text is still searched for the cannot-model note).
  if (JS_GRAMMARS.includes(grammar) && generatedScript(text))
    return { policies: [], syntaxError: false, spentMs: budget.spentMs() };
  const tree = await parseText(grammar, text);
  try {
    const { policies, overBudgetMs } = await extractWithin(
      budgetMs,
      () => extractLabelled(grammar, file, text, tree, reader, budget),
      environment,
    );
    // A file over budget was not read: its frontend calls are not collected either (for a 2 MB
    // bundle that walk alone costs about a second). Collecting them is the file's work too: the
    // same budget bounds it, and a file it does not fit is reported like one whose extraction
    // did not.
    const collected =
      overBudgetMs === undefined && index
        ? await collectFacts(budget, async () => {
            await index.updateCalls(file, text, tree);
            await index.updateApp(file, text, policies, tree);
          })
        : true;
    if (overBudgetMs !== undefined || !collected)
      return {
        policies: collected ? policies : [],
        syntaxError: tree.hasError,
        overBudgetMs: budgetMs,
        spentMs: budget.spentMs(),
      };
    // Read in no environment: production's own values too, for the checks that replay it, in
    // what is left of the budget.
    const production = environment
      ? undefined
      : await productionPolicies(file, text, tree, grammar, policies, reader, {
          analysisBudgetMs: Math.max(1, budgetMs - budget.spentMs()),
        });
    const spentMs = budget.spentMs();
    return production
      ? { policies, syntaxError: tree.hasError, production, spentMs }
      : { policies, syntaxError: tree.hasError, spentMs };
  } finally {
    tree.delete();
  }
}

/**
 * CPU time (ms) a file's answer costs per character outside its budget's checks: reading it
 * before (~2.5 ms a MB), deleting its tree after (12–19 ms a MB for the Python, JavaScript, Ruby
 * and PHP grammars here, 2 MB files), and collecting what its analysis left, which a 2 MB
 * settings module analysed just within its budget showed as the last ~1–3% of a run (30 ms a MB
 * alone). On a loaded machine that work grows: a 2 MB settings module at 0.93–1.01 s of CPU alone
 * (and at three busy loops) took 1.5 s in the fuzz run of seed 2014, twice, unreported. 100 ms a
 * MB keeps such a file reported over budget.
 */
const answerMsPerChar = 100 / (1024 * 1024);

/** Runs `work` under `budget`; false when the budget ran out first. */
async function collectFacts(budget: Budget, work: () => Promise<void>): Promise<boolean> {
  try {
    budget.check();
    await withBudget(budget, work);
    return true;
  } catch (error) {
    if (error instanceof OverBudget) return false;
    throw error;
  }
}

/**
 * CPU time (ms) printing one finding takes (`toJsonFinding`, the JSON and the write: 240 ms for
 * 10,000 findings of a 10,000-origin file here), charged to the file's budget as it is found.
 */
const reportMsPerFinding = 0.03;

/** What the file's extraction left of its budget, for its checks and their report. */
export const checksBudget = (settings: CorsLensSettings, facts: FileFacts): Budget =>
  new Budget(settings.analysisBudgetMs, facts.spentMs, reportMsPerFinding);

/**
 * Reads, parses and checks one file from disk. `reader` reads it and the files its settings
 * import (each file is read once).
 */
export async function analyzeFile(
  file: string,
  reader: DiskReader,
  settings: CorsLensSettings = defaultSettings,
  workspace?: WorkspaceFacts,
  /** The environment the code runs in; undefined: every variable unset (the code's defaults). */
  environment?: Environment,
): Promise<FileResult> {
  const absolute = path.resolve(file);
  if (!grammarFor(absolute) && !maySniff(absolute))
    return { file: absolute, problem: 'not a language CORS Lens analyses yet' };
  const source = reader.source(absolute);
  if ('problem' in source) return { file: absolute, problem: source.problem };
  const { text } = source;
  const grammar = grammarForText(absolute, text);
  if (!grammar) return { file: absolute, problem: 'not a language CORS Lens analyses yet' };
  const facts: FileFacts =
    mayReport(absolute, grammar, text) && settings.enable
      ? await extractFile(
          absolute,
          grammar,
          text,
          reader,
          undefined,
          settings.analysisBudgetMs,
          environment,
        )
      : { policies: [], syntaxError: false, spentMs: 0 };
  return {
    file: absolute,
    text,
    analysis: checkPolicies(
      absolute,
      text,
      facts.policies,
      reader,
      settings,
      workspace,
      facts.syntaxError,
      facts.overBudgetMs,
      facts.production,
      checksBudget(settings, facts),
    ),
    syntaxError: facts.syntaxError,
  };
}
