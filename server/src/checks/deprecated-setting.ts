import { corsSettingAliases } from '../extract/django';
import { djangoSettings } from './support/django';
import type { Check, Report, TextEdit } from './types';

const renames = Object.fromEntries(Object.entries(corsSettingAliases).map(([current, old]) => [old, current]));

export const deprecatedSetting: Check = {
  id: 'deprecated-setting',
  severity: 'warning',
  description: 'A django-cors-headers setting uses its old name, removed in django-cors-headers 4.0.',
  run(policy, context) {
    const settings = djangoSettings(policy);
    const reports: Report[] = [];
    for (const [old, current] of Object.entries(renames)) {
      const setting = settings.get(old);
      if (!setting) continue;
      const shadowed = settings.has(current);
      const text = context.text(setting.nameSpan.file);
      // Every whole-word use in the file (assignment, `+=`, `.append`) gets the new name.
      const edits: TextEdit[] = [];
      const word = new RegExp(`\\b${old}\\b`, 'g');
      for (let m = word.exec(text); m; m = word.exec(text)) edits.push({ file: setting.nameSpan.file, start: m.index, end: m.index + old.length, newText: current });
      reports.push({
        message: shadowed
          ? `${old} is ignored because ${current} is also set; ${old} is the pre-3.5 name and django-cors-headers 4.0 removed it.`
          : `${old} is the old name of ${current}; django-cors-headers 4.0 removed it, so upgrading silently drops this setting.`,
        span: setting.nameSpan,
        fix: shadowed ? undefined : { title: `Rename to ${current}`, edits },
      });
    }
    return reports;
  },
};
