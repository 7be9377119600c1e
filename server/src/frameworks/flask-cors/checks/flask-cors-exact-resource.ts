import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/** The routes named in a message: a few, then how many more. */
function named(routes: string[]): string {
  const shown = routes.slice(0, 3).join(', ');
  return routes.length > 3 ? `${shown} and ${routes.length - 3} more` : shown;
}

/**
 * Flask-CORS matches a resource with `re.match` only when it looks like a regex (`probably_regex`:
 * one of `*\]?$^[()`); any other string must equal the whole request path. So `resources={r"/":
 * ...}` covers the root alone, and the routes below it get no CORS headers (Opensoft-2019,
 * held-out batch 39; truth case flask-cors/literal-resource against the real Flask-CORS).
 */
export const flaskCorsExactResource: Check = {
  id: 'flask-cors-exact-resource',
  severity: 'warning',
  frameworks: ['flask-cors'],
  description:
    'A Flask-CORS resource path without a regex character matches one path exactly, not the routes below it.',
  fix: { description: 'make the path a prefix pattern (`/api/.*`)', safety: 'review' },
  run(policy, context) {
    const exact = factsOf(policy, 'flask-cors')?.exactResource;
    if (!exact || policy.inactive) return [];
    const written = context.text(exact.at.file).slice(exact.at.start, exact.at.end);
    const path = factsOf(policy, 'flask-cors')!.resource;
    const pattern = `${path.replace(/\/$/, '')}/.*`;
    // The key as written, its path replaced; a raw string keeps its prefix.
    const quote = /^([rRuU]?)(['"])/.exec(written);
    return [
      {
        message:
          `The resource ${written} has no regex character, so Flask-CORS matches it against the ` +
          `whole request path: it covers ${path} alone, and ${named(exact.routesBelow)} get no ` +
          `CORS headers, so browsers block cross-origin calls to them.`,
        span: exact.at,
        fix: quote
          ? {
              title: `Match every path below ${path}: ${pattern}`,
              edits: [{ ...exact.at, newText: `${quote[1]}${quote[2]}${pattern}${quote[2]}` }],
            }
          : undefined,
      },
    ];
  },
};
