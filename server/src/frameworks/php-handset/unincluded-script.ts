/**
 * A PHP script that never runs: in an app served through a front controller (`public/index.php`:
 * Laravel, Lumen, Slim, Symfony), the web server hands requests only to files under `public/`,
 * so a script outside it runs only where another file includes it. alex3621's
 * `includes/cors.php` (held-out batch 46) echoes an allowlisted origin beside a Lumen app that
 * never includes it. Classes are left out: the autoloader loads them by name, not by file.
 */
import path from 'node:path';
import { nothingElseMentions } from '../../base/project-mentions';
import { escapeRegex } from '../../base/regex';
import { projectOf } from '../../base/project-root';
import type { SourceReader } from '../../base/source-reader';
import type { Policy } from '../../policy/types';

/** The folders a front-controller app's web server serves files from. */
const DOCROOTS = ['public', 'web', 'public_html', 'htdocs', 'www'];

/** Folders the frameworks load by convention (config, routes, views), never by an include. */
const LOADED_BY_CONVENTION =
  /^(?:config|routes|bootstrap|resources|database|app|src|tests?|vendor)$/;

/** Code that includes files by listing a folder, or by a name built at run time. */
const INCLUDES_BY_FOLDER =
  /\b(?:glob|scandir|readdir|opendir)\s*\(|\b(?:include|require)(?:_once)?\b[^;\n]*\$/;

/** Why `file` never runs, or undefined when it may (see the module comment). */
export function unincludedScript(
  file: string,
  text: string,
  reader: SourceReader,
): Policy['inactive'] {
  if (/\b(?:class|trait|interface|namespace)\s+[A-Za-z_\\]/.test(text)) return undefined;
  const project = projectOf(file, reader.scopes);
  if (!project.marked) return undefined;
  const [top] = path.relative(project.root, file).split(path.sep);
  if (!top || top === path.basename(file) || LOADED_BY_CONVENTION.test(top)) return undefined;
  const docroot = DOCROOTS.find(
    (dir) => reader.read(path.join(project.root, dir, 'index.php')) !== undefined,
  );
  if (!docroot || top === docroot) return undefined;
  const name = path.basename(file);
  const named = new RegExp(`(?<![\\w.-])${escapeRegex(name)}\\b`);
  const none = nothingElseMentions(file, reader, {
    question: 'php-include',
    // PHP code, Composer's `autoload.files`, and server configs that prepend or route to a file.
    mayName: (f) => /\.(?:php|ini|conf)$|(?:^|[\\/])(?:composer\.json|\.htaccess)$/.test(f),
    mentions: (written) => named.test(written) || INCLUDES_BY_FOLDER.test(written),
  });
  if (!none) return undefined;
  return {
    span: { file, start: 0, end: 0 },
    label: `the web server serves ${docroot}/ only and no file of this app includes ${name}`,
    unloaded: 'Include it where the app answers requests, or delete it.',
  };
}
