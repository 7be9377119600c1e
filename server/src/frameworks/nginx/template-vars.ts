/**
 * The values a configuration template is rendered with. The nginx image renders
 * `/etc/nginx/templates/*.template` (and projects their own `*.tpl` through `envsubst` in an entry
 * script) at container start, replacing `${NAME}` with the container's variables: the `ENV` lines
 * of the Dockerfile beside the template, which builds that image. A plain configuration's `$name`
 * is nginx's own variable and is left alone.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { deploymentVars } from '../../environment/deploy-vars';

const TEMPLATE = /\.(?:tpl|template|tmpl)(?:\.|$)/i;

/** `${NAME}` → value for a template file; empty for any other file. */
export function renderedVars(file: string, reader: SourceReader): Map<string, string> {
  if (!TEMPLATE.test(path.basename(file))) return new Map();
  const dir = path.dirname(file);
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((name) => /^Dockerfile/i.test(name));
  } catch {
    return new Map();
  }
  const vars = deploymentVars(dir, (d) => (d === dir ? entries : []), 'production', reader);
  return new Map(
    [...vars].flatMap(([name, v]) => (v.value === undefined ? [] : [[name, v.value]])),
  );
}
