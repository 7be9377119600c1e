/**
 * The workspace's Django dev server for the probe step: the real Django + django-cors-headers
 * (Debian packages) serving the workspace's settings.py as it is on disk, through the truth
 * suite's serve.py, on a free 127.0.0.1 port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { requirePython, startDjango, type RunningServer } from '../../unit/probe/python-servers';

/**
 * Starts Django on `settingsFile`. The CORS settings are the file's own, executed as written; a
 * wrapper in `scratch` adds only what Django needs to answer any request at all (the fixture is
 * a CORS excerpt without SECRET_KEY or ALLOWED_HOSTS, so every view would answer 500).
 */
export async function startWorkspaceDjango(
  settingsFile: string,
  scratch: string,
): Promise<RunningServer> {
  requirePython(['django', 'corsheaders'], 'python3-django python3-django-cors-headers');
  const wrapper = path.join(scratch, 'e2e_dev_settings.py');
  fs.writeFileSync(
    wrapper,
    [
      `exec(compile(open(${JSON.stringify(settingsFile)}).read(), ${JSON.stringify(settingsFile)}, "exec"))`,
      'SECRET_KEY = "cors-lens-e2e-not-secret"',
      'ALLOWED_HOSTS = ["127.0.0.1"]',
      '',
    ].join('\n'),
  );
  return startDjango(wrapper);
}
