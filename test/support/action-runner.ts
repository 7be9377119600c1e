import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hangGuardMs } from './hang-guard';

/** A composite action's `action.yml`, the parts the runner reads. */
export interface CompositeAction {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface ActionStep {
  id?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}

/** What one run of the action did. */
export interface ActionRun {
  /** The exit code of the step that failed the action (0 when none did). */
  code: number;
  /** The action's outputs, from `outputs.*.value`. */
  outputs: Record<string, string>;
  /** `uses:` steps that would have run, with their `with:` evaluated (the runner would fetch them). */
  used: { uses: string; with: Record<string, string> }[];
  /** What the scripts printed (workflow commands such as `::error::` included). */
  stdout: string;
  stderr: string;
}

type Context = { inputs: Record<string, string>; steps: Record<string, Record<string, string>> };

/**
 * One expression of the subset the action is allowed: `inputs.NAME`, `steps.ID.outputs.NAME`,
 * and `A == 'literal'` of those. Anything else throws, so the action cannot use an expression
 * that this runner (and so the test) does not evaluate.
 */
export function evaluate(expression: string, context: Context): string | boolean {
  const expr = expression.trim();
  const comparison = expr.match(/^(\S+)\s*==\s*'([^']*)'$/);
  if (comparison) return evaluate(comparison[1], context) === comparison[2];
  const input = expr.match(/^inputs\.([\w-]+)$/);
  if (input) {
    if (!(input[1] in context.inputs)) throw new Error(`no input '${input[1]}'`);
    return context.inputs[input[1]];
  }
  const output = expr.match(/^steps\.([\w-]+)\.outputs\.([\w-]+)$/);
  if (output) return context.steps[output[1]]?.[output[2]] ?? '';
  throw new Error(`expression outside the tested subset: ${expr}`);
}

/** A string with its `${{ ... }}` parts evaluated. */
export const interpolate = (text: string, context: Context): string =>
  text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => String(evaluate(expr, context)));

/** `name=value` lines of a `$GITHUB_OUTPUT` file. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const at = line.indexOf('=');
    if (at < 0) throw new Error(`not a name=value output line: ${line}`);
    outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

/**
 * Runs a composite action's steps as the Actions runner does: inputs default from `action.yml`,
 * a step runs when its `if` holds and no earlier step failed, `run:` scripts with
 * `bash --noprofile --norc -eo pipefail` (the runner's `shell: bash`) in `workspace`, outputs
 * through `$GITHUB_OUTPUT`. `uses:` steps are recorded, not run.
 */
export function runAction(
  action: CompositeAction,
  given: Record<string, string>,
  workspace: string,
  env: NodeJS.ProcessEnv,
): ActionRun {
  for (const name of Object.keys(given))
    if (!(name in action.inputs)) throw new Error(`the action has no input '${name}'`);
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [name, given[name] ?? spec.default ?? '']),
  );
  const context: Context = { inputs, steps: {} };
  const scratch = mkdtempSync(path.join(tmpdir(), 'cors-lens-action-'));
  const result: ActionRun = { code: 0, outputs: {}, used: [], stdout: '', stderr: '' };
  try {
    action.runs.steps.forEach((step, index) => {
      if (result.code !== 0) return;
      if (step.if !== undefined && evaluate(step.if, context) !== true) return;
      if (step.uses) {
        const withValues = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]),
        );
        result.used.push({ uses: step.uses, with: withValues });
        return;
      }
      if (step.shell !== 'bash') throw new Error(`step ${index}: shell must be bash`);
      const script = path.join(scratch, `step-${index}.sh`);
      const outputFile = path.join(scratch, `output-${index}`);
      writeFileSync(script, step.run ?? '');
      writeFileSync(outputFile, '');
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]),
      );
      const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: workspace,
        env: { ...env, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: workspace },
        encoding: 'utf8',
        timeout: hangGuardMs(180_000),
      });
      result.stdout += run.stdout;
      result.stderr += run.stderr;
      if (step.id) context.steps[step.id] = readOutputs(outputFile);
      result.code = run.status ?? 1;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  result.outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, spec]) => [name, interpolate(spec.value, context)]),
  );
  return result;
}
