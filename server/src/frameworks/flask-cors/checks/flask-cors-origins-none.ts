import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/** `os.getenv("X")` or `os.environ.get("X", None)` as written: the quote, and where None is. */
const BARE_READ = /^(?:os\.)?(?:getenv|environ\.get)\(\s*(['"])[^'"\\]*\1\s*(?:,\s*(None)\s*)?\)$/d;

/**
 * Flask-CORS given `origins=None` (TEL-api, held-out batch 55: `origins=os.getenv("X")` with X
 * unset) fails every request it answers: `get_cors_origins` hands None to `probably_regex`, whose
 * TypeError escapes the after_request hook, so Flask sends a bare 500, with an Origin or without
 * (truth case flask-cors/origins-env-unset, Flask-CORS 3.0.10; 6.0.2 fails the same way, tried by
 * hand). A None in app.config is skipped by the library, so only the call's own options count.
 */
export const flaskCorsOriginsNone: Check = {
  id: 'flask-cors-origins-none',
  severity: 'warning',
  frameworks: ['flask-cors'],
  description:
    'Flask-CORS origins is None (an unset environment variable read without a default): every request the extension answers fails with a 500.',
  fix: {
    description:
      'give the read a default: `corsLens.allowedOrigins` when it names one origin, else "" (no origin)',
    safety: 'review',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'flask-cors');
    const none = facts?.originsNone;
    if (!facts || !none || policy.inactive || facts.ineffective) return [];
    const value = facts.written.origins?.value;
    const written = value ? context.text(value.file).slice(value.start, value.end) : '';
    const read = BARE_READ.exec(written);
    const origin = context.allowedOrigins.length === 1 ? context.allowedOrigins[0] : '';
    const requests = facts.alwaysSend ? 'every request' : 'every request with an Origin';
    const cause = none.variable
      ? `When ${none.variable} is unset (a deploy that forgets it), ${written || 'the read'} gives None`
      : 'origins is None';
    return [
      {
        message:
          `${cause}, and Flask-CORS cannot match an origin against None: a TypeError in ` +
          `${facts.via === 'decorator' ? `@cross_origin's wrapper turns ${requests} to this route` : `its after_request hook turns ${requests} to ${facts.resource}`} into a 500 without CORS ` +
          `headers. Give the read a default${none.variable ? ` and set ${none.variable} where it is needed` : ''}.`,
        span: none.at,
        fix:
          read && value
            ? {
                title: `Default ${none.variable} to ${read[1]}${origin}${read[1]}`,
                edits: [
                  read.indices?.[2]
                    ? {
                        file: value.file,
                        start: value.start + read.indices[2][0],
                        end: value.start + read.indices[2][1],
                        newText: `${read[1]}${origin}${read[1]}`,
                      }
                    : {
                        file: value.file,
                        start: value.end - 1,
                        end: value.end - 1,
                        newText: `, ${read[1]}${origin}${read[1]}`,
                      },
                ],
              }
            : undefined,
      },
    ];
  },
};
