import {
  addStatementAfter,
  allowlistSetting,
  assignsSetting,
  djangoSettings,
  fullyKnown,
  literalSpan,
  pythonList,
  readsSetting,
} from './settings-helpers';
import { djangoAllowHeadersEdits } from './allow-headers-edits';
import type { TextEdit } from '../../policy/edits';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  appendElements,
  elementAt,
  preferredQuote,
  pythonString,
  removeElement,
  replaceStringLiteral,
} from '../../lang/python/sequence-edits';

/** Fixes in a Django settings module (django-cors-headers' settings). */
export const djangoFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const allowAll = policy.origins.allowAllAt;
    if (!allowAll) return undefined;
    const settings = djangoSettings(policy);
    const setting = settings.get(allowAll.label);
    if (!setting) return undefined;
    const text = context.text(setting.statement.file);
    // With an allowlist already there, turning allow-all off is enough; else it replaces the line.
    const existing = allowlistSetting(policy);
    if (existing)
      return {
        title: `Set ${setting.name} = False (${existing.name} is set)`,
        edits: [{ ...setting.value.span, newText: 'False' }],
      };
    // The module reads the name later (`if not CORS_ALLOW_ALL_ORIGINS:`): removing the line would
    // leave that read undefined, so allow-all is turned off in place, and the allowlist is written
    // after it unless the module assigns one itself (in the branch that reads the name).
    if (readsSetting(text, setting.name, setting.statement)) {
      const off = { ...setting.value.span, newText: 'False' };
      return assignsSetting(text, 'CORS_ALLOWED_ORIGINS')
        ? { title: `Set ${setting.name} = False (CORS_ALLOWED_ORIGINS is set below)`, edits: [off] }
        : {
            title: `Allow only ${origins.join(', ')}`,
            edits: [
              off,
              addStatementAfter(
                text,
                setting.statement,
                `CORS_ALLOWED_ORIGINS = ${pythonList(origins, text)}`,
              ),
            ],
          };
    }
    // An earlier `= True` in this file would take over once the last one is gone: turn it off too.
    const earlier = (setting.earlier ?? []).filter(
      (e) =>
        e.value.kind === 'bool' && e.value.value && e.value.span.file === setting.statement.file,
    );
    return {
      title: `Allow only ${origins.join(', ')}`,
      edits: [
        ...earlier.map((e) => ({ ...e.value.span, newText: 'False' })),
        { ...setting.statement, newText: `CORS_ALLOWED_ORIGINS = ${pythonList(origins, text)}` },
      ],
    };
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span &&
    replaceStringLiteral(context.text(origin.span.file), origin.span, origin.value, value),

  removeOrigin(policy, origin, context) {
    const setting = allowlistSetting(policy);
    if (!setting || !origin.span) return undefined;
    const text = context.text(origin.span.file);
    const list = literalSpan(setting, text);
    const index = list ? elementAt(text, list, origin.span.start) : -1;
    const edit = list && index >= 0 ? removeElement(text, list, index) : undefined;
    return edit && [edit];
  },

  replacePattern(policy, regex, pattern, context) {
    return this.replaceOrigin(policy, regex, pattern, context);
  },

  addOrigins(policy, origins, context) {
    const setting = allowlistSetting(policy);
    if (setting) {
      const text = context.text(setting.statement.file);
      const list = literalSpan(setting, text);
      const edit =
        list &&
        appendElements(
          text,
          list,
          origins.map((o) => pythonString(o, preferredQuote(text))),
        );
      return edit && [edit];
    }
    // No allowlist yet: create one after the last CORS setting, or after INSTALLED_APPS.
    const anchors = [...djangoSettings(policy).values()].filter(
      (s) =>
        s.name.startsWith('CORS_') || s.name.startsWith('HEADLESS_') || s.name === 'INSTALLED_APPS',
    );
    const anchor = anchors
      .filter((s) => s.statement.file === policy.file)
      .sort((a, b) => b.statement.end - a.statement.end)[0];
    if (!anchor) return undefined;
    const text = context.text(policy.file);
    const edit: TextEdit = addStatementAfter(
      text,
      anchor.statement,
      `CORS_ALLOWED_ORIGINS = ${pythonList(origins, text)}`,
    );
    return [edit];
  },

  addAllowedHeaders(policy, headers, context) {
    const allowed = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
    if (allowed && (allowed.value.kind !== 'list' || !fullyKnown(allowed.value))) return undefined;
    const edits = djangoAllowHeadersEdits(policy, headers, allowed, context);
    return edits.length ? edits : undefined;
  },
};
