import { factsOf } from '../../../policy/types';
import { indentAt, insertLinesBefore, removeDirective } from '../text-edits';
import type { NginxFacts, NginxHeader, NginxStep } from '../facts';
import { isCorsHeader, lineOf } from '../levels';
import type { Check, Report } from '../../../checks/types';

/** Whether a step (or an `if` holding it) writes a non-empty value to `variable`. */
const fills = (step: NginxStep, variable: string): boolean =>
  step.kind === 'set'
    ? step.variable === variable && step.value.value !== ''
    : step.kind === 'if' && step.steps.some((s) => fills(s, variable));

const returns = (step: NginxStep) =>
  step.kind === 'if' && step.steps.some((s) => s.kind === 'return');

/**
 * A CORS header whose value is a `set` variable that is still empty when the header is sent: it
 * sits in an `if` that returns, and every `set` that fills the variable runs after that `if`
 * (rewrite directives run in order), so nginx sends no header at all.
 */
function emptyAt(
  facts: NginxFacts,
  header: NginxHeader,
): { branch: NginxStep; filler: NginxStep; variable: string } | undefined {
  const variable = header.value.value.match(/^\$\{?(\w+)\}?$/)?.[1];
  if (!variable || !facts.setVariables.has(variable) || facts.maps.has(variable)) return undefined;
  for (const steps of [facts.location.steps, facts.server.steps]) {
    const index = steps.findIndex(
      (s) => s.kind === 'if' && s.level.own.includes(header) && returns(s),
    );
    if (index < 0) continue;
    const branch = steps[index];
    const before = [
      ...(steps === facts.location.steps ? facts.server.steps : []),
      ...steps.slice(0, index),
      ...(branch.kind === 'if' ? branch.steps : []),
    ];
    if (before.some((s) => fills(s, variable))) return undefined;
    const filler = steps.slice(index + 1).find((s) => fills(s, variable));
    return filler && { branch, filler, variable };
  }
  return undefined;
}

export const nginxEmptyOriginVariable: Check = {
  id: 'nginx-empty-origin-variable',
  severity: 'error',
  frameworks: ['nginx'],
  description:
    'A CORS header takes its value from a variable that is still empty where the header is sent (set only after a `return`), so nginx sends no header.',
  fix: {
    description: 'move the `if` that sets the variable above the returning branch',
    safety: 'review',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'nginx');
    // A location nginx never selects sends nothing (nginx-location-never-selected says so).
    if (!facts || policy.inactive) return [];
    const reports: Report[] = [];
    for (const header of facts.location.steps
      .concat(facts.server.steps)
      .flatMap((s) => (s.kind === 'if' && facts.owns.has(s.level) ? s.level.own : []))) {
      if (!isCorsHeader(header)) continue;
      const found = emptyAt(facts, header);
      if (!found) continue;
      const text = context.text(header.span.file);
      const { branch, filler } = found;
      const sameFile =
        branch.span.file === filler.span.file && branch.span.file === header.span.file;
      const moved = sameFile
        ? text
            .slice(text.lastIndexOf('\n', filler.span.start - 1) + 1, filler.span.end)
            .replace(/^[ \t]*/, indentAt(text, branch.span.start))
        : '';
      reports.push({
        message:
          `$${found.variable} is empty when this add_header is sent: the \`set\` that fills it (line ` +
          `${lineOf(text, filler.span.start)}) runs after this branch's \`return\` (nginx runs rewrite ` +
          `directives in order), and nginx sends no ${header.name} for an empty value, so the browser ` +
          `blocks the response.`,
        span: header.value.span,
        fix: sameFile
          ? {
              title: `Set $${found.variable} before this branch`,
              edits: [
                insertLinesBefore(text, branch.span.file, branch.span.start, `${moved}\n`),
                removeDirective(text, filler.span),
              ],
            }
          : undefined,
      });
    }
    return reports;
  },
};
