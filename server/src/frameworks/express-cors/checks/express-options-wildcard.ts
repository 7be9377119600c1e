import { factsOf } from '../../../policy/types';
import { rejectedByExpress5 } from '../../../lang/javascript/express-path';
import type { Check, Report } from '../../../checks/types';
import { expressMajor } from '../express-version';

export const expressOptionsWildcard: Check = {
  id: 'express-options-wildcard',
  severity: 'error',
  frameworks: ['express-cors'],
  description:
    "A bare '*' route path (app.options('*', cors())) makes Express 5 throw at start-up; use '/{*splat}' or a RegExp.",
  fix: { description: "`'*'` → `'/{*splat}'` (Express 5 throws on `'*'`)", safety: 'safe' },
  run(policy, context) {
    // Express 4 (path-to-regexp 0.1) takes '*'; only a project on 5 (or one that does not say) breaks.
    const major = expressMajor(policy.file, (f) => context.text(f));
    if (major !== undefined && major < 5) return [];
    const reports: Report[] = [];
    for (const layer of factsOf(policy, 'express-cors')?.mounts ?? []) {
      if (layer.path.kind !== 'string' || !rejectedByExpress5(layer.path.value)) continue;
      const text = context.text(layer.span.file);
      const call = text.slice(layer.span.start, layer.span.end);
      // The path is the call's first argument: a quoted literal right after `(`.
      const literal = /\(\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(call);
      const value = layer.path.value;
      const replacement = value === '*' ? '/{*splat}' : value.replace(/\/\*$/, '/{*splat}');
      const fixable = literal && literal[2] === value && !rejectedByExpress5(replacement);
      const start = literal ? layer.span.start + literal.index + literal[0].indexOf(literal[1]) : 0;
      reports.push({
        message: `Express 5 (path-to-regexp 8) throws "Missing parameter name" for the path '${value}' when the app starts, so the server never comes up. Name the wildcard: '${fixable ? replacement : '/{*splat}'}'.`,
        span: layer.span,
        fix: fixable
          ? {
              title: `Use '${replacement}'`,
              edits: [
                {
                  file: layer.span.file,
                  start,
                  end: start + literal[0].length - literal[0].indexOf(literal[1]),
                  newText: `${literal[1]}${replacement}${literal[1]}`,
                },
              ],
            }
          : undefined,
      });
    }
    return reports;
  },
};
