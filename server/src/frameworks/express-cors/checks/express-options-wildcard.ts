import path from 'node:path';
import { factsOf } from '../../../policy/types';
import { rejectedByExpress5 } from '../../../lang/javascript/express-path';
import type { Check, CheckContext, Report } from '../../../checks/types';
import type { Fix } from '../../../policy/edits';
import type { ExpressLayer } from '../facts';
import { packageVersion, type PackageVersion } from '../../../workspace/npm-version';

/**
 * Express 4 (path-to-regexp 0.1) reads `'*'` as "any path" and `'/api/*'` as "any path under
 * /api/"; Express 5 (path-to-regexp 8) throws at start-up on both. Seen with the real packages:
 * express 5.3.0 from node_modules (test/unit/express/express5-wildcard.test.ts) and express
 * 4 as the `express4` alias (test/unit/express/express4-paths.test.ts): `'*'`, `'/*'` and the
 * RegExp `.*` answered a preflight on every path, `'/api/*'` and the RegExp the fix writes for it
 * the same paths, `'/{*splat}'` none (a literal brace there). So the fix follows the project's
 * major: `'/{*splat}'` on 5, and a RegExp, which both majors match alike, when the project does
 * not say.
 */
export const expressOptionsWildcard: Check = {
  id: 'express-options-wildcard',
  severity: 'error',
  severityNote: 'warning when package.json and the lockfile do not say which Express major runs',
  frameworks: ['express-cors'],
  description:
    "A bare '*' route path (app.options('*', cors())) makes Express 5 throw at start-up (Express 4 takes it); use '/{*splat}' on 5, a RegExp on either.",
  fix: {
    description:
      "`'*'` → `'/{*splat}'` on Express 5, → `/.*/` when the major is not known (silent on Express 4)",
    safety: 'safe',
  },
  run(policy, context) {
    const version = packageVersion(policy.file, 'express', (f) => context.text(f));
    if (version.major !== undefined && version.major < 5) return [];
    const reports: Report[] = [];
    for (const layer of factsOf(policy, 'express-cors')?.mounts ?? []) {
      if (layer.path.kind !== 'string' || !rejectedByExpress5(layer.path.value)) continue;
      reports.push(report(layer, layer.path.value, version, context));
    }
    return reports;
  },
};

/** The finding for one path: Express 5's start-up error, or both majors' readings when unknown. */
function report(
  layer: ExpressLayer,
  value: string,
  version: PackageVersion,
  context: CheckContext,
): Report {
  const onFive = version.major !== undefined;
  const replacement = onFive ? namedWildcard(value) : regexWildcard(value);
  const fix = replacement ? replaceLiteral(layer, value, replacement, context) : undefined;
  const suggestion = fix ? replacement : onFive ? "'/{*splat}'" : 'a RegExp';
  if (onFive)
    return {
      message: `Express 5 (${whoSays(version)}) throws "Missing parameter name" for the path '${value}' when the app starts (path-to-regexp 8), so the server never comes up. Name the wildcard: ${suggestion}.`,
      span: layer.span,
      fix,
    };
  return {
    severity: 'warning',
    message: `Express 4 reads the path '${value}' as a wildcard, but Express 5 throws "Missing parameter name" for it when the app starts, and package.json does not say which major this project runs. ${suggestion} works on both.`,
    span: layer.span,
    fix,
  };
}

/** `package-lock.json: 5.1.0`, `package.json: ^5.0.0`: where the major came from. */
const whoSays = (version: PackageVersion): string =>
  `${path.basename(version.file ?? '')}: ${version.says ?? ''}`;

/** Express 5's named wildcard for `'*'`, `'/*'` and `'/prefix/*'`. */
function namedWildcard(value: string): string | undefined {
  const replacement = value === '*' ? '/{*splat}' : value.replace(/\/\*$/, '/{*splat}');
  return rejectedByExpress5(replacement) ? undefined : `'${replacement}'`;
}

/**
 * A RegExp both majors match as Express 4 matches `'*'` (every path) and `'/prefix/*'` (every
 * path under `/prefix/`, any case); undefined for other paths.
 */
function regexWildcard(value: string): string | undefined {
  if (value === '*' || value === '/*') return '/.*/';
  const prefix = /^((?:\/[\w.~-]+)+)\/\*$/.exec(value)?.[1];
  return prefix ? `/^${prefix.replace(/[./]/g, '\\$&')}\\/.*/i` : undefined;
}

/** The edit of the call's first argument (a quoted literal right after `(`) to `replacement`. */
function replaceLiteral(
  layer: ExpressLayer,
  value: string,
  replacement: string,
  context: CheckContext,
): Fix | undefined {
  const call = context.text(layer.span.file).slice(layer.span.start, layer.span.end);
  const literal = /\(\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(call);
  if (!literal || literal[2] !== value) return undefined;
  const start = layer.span.start + literal.index + literal[0].indexOf(literal[1]);
  // Named wildcards keep the file's quote; a RegExp replaces the string.
  const newText = replacement.startsWith("'")
    ? `${literal[1]}${replacement.slice(1, -1)}${literal[1]}`
    : replacement;
  return {
    title: `Use ${replacement}`,
    edits: [
      {
        file: layer.span.file,
        start,
        end: start + literal[0].length - literal[0].indexOf(literal[1]),
        newText,
      },
    ],
  };
}
