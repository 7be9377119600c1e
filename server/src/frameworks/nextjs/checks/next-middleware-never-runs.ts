import path from 'node:path';
import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

export const nextMiddlewareNeverRuns: Check = {
  id: 'next-middleware-never-runs',
  severity: 'warning',
  frameworks: ['nextjs'],
  description:
    'A Next.js `middleware()` that sets CORS headers in a file Next never loads (not `middleware`/`proxy` next to `app`/`pages`, nor imported by it).',
  run(policy) {
    const facts = factsOf(policy, 'nextjs');
    if (!facts?.unloaded || !policy.inactive) return [];
    const ext = path.extname(policy.file) || '.js';
    const folder = `${path.basename(facts.unloaded.rootDir)}/`;
    const name = path.basename(policy.file);
    return [
      {
        message:
          `${name} never runs as middleware: Next.js loads only middleware${ext} (proxy${ext} from ` +
          `Next 16) placed directly in ${folder} (the folder that holds app/ or pages/), and no ` +
          `such file imports this one, so none of the CORS headers set here are sent. Move the ` +
          `function to ${folder}middleware${ext}, or import it there and call it from its middleware().`,
        span: policy.inactive.span,
      },
    ];
  },
};
