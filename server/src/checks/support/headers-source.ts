import type { Policy, SourceRef } from '../../policy/types';
import type { CheckContext } from '../types';
import { djangoSettings } from '../../frameworks/django/settings-helpers';

/** Where a policy's allowed request headers are written, per framework (undefined: not known). */
export function headersSource(policy: Policy, context: CheckContext): SourceRef | undefined {
  const setting = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
  if (setting) return { span: setting.statement, label: setting.name };
  const written = policy.starlette?.written.allow_headers;
  if (written) return { span: written.at, label: context.text(written.at.file).slice(written.at.start, written.at.end).replace(/\s+/g, ' ') };
  return undefined;
}
