/**
 * A Flask config module (`settings.py` loaded with `app.config.from_object(...)`, or by a config
 * class of the app's own) that sets Flask-CORS's `CORS_*` keys: Flask-CORS reads them from
 * `app.config` as the layer under the `CORS(...)` arguments (`get_app_kwarg_dict`).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { SettingsModuleReader } from '../../lang/python/settings-module';
import type { SourceTree } from '../../parsing/source-tree';
import type { OptionLayer, RawOption } from './options';

/**
 * A key only Flask-CORS reads (django-cors-headers shares `CORS_ALLOW_HEADERS`,
 * `CORS_EXPOSE_HEADERS` and `CORS_MAX_AGE`, not these): a module setting one, at its top level or
 * in a config class, is a Flask config.
 */
export const FLASK_CORS_KEY =
  /^[ \t]*CORS_(?:ORIGINS|SUPPORTS_CREDENTIALS|RESOURCES|SEND_WILDCARD|AUTOMATIC_OPTIONS|VARY_HEADER|INTERCEPT_EXCEPTIONS|ALWAYS_SEND)[ \t]*=/m;

/** app.config keys as written (`CORS_ORIGINS`, `FRONTEND_URL`), each with its value and place. */
export type ConfigValues = Map<string, RawOption>;

/** Which config keys a reader resolves: Flask-CORS's, and those the app reads by name. */
export type WantedKey = (key: string) => boolean;

/**
 * The app.config keys Flask-CORS reads (`flask_cors.core.CONFIG_OPTIONS`: Debian's 3.0.10, the
 * model's, and 6.0.2, which adds CORS_ALLOW_PRIVATE_NETWORK; both installed here): `CORS_HEADERS`,
 * from an old README example, is not one and does nothing.
 */
const CONFIG_OPTIONS = new Set(
  [
    'ORIGINS',
    'METHODS',
    'ALLOW_HEADERS',
    'EXPOSE_HEADERS',
    'SUPPORTS_CREDENTIALS',
    'MAX_AGE',
    'SEND_WILDCARD',
    'AUTOMATIC_OPTIONS',
    'VARY_HEADER',
    'RESOURCES',
    'INTERCEPT_EXCEPTIONS',
    'ALWAYS_SEND',
    'ALLOW_PRIVATE_NETWORK',
  ].map((name) => `CORS_${name}`),
);

export const corsKeys: WantedKey = (key) => CONFIG_OPTIONS.has(key);

/**
 * The keys `app.config[...]` / `app.config.get(...)` read in `text` (found by text: the reads
 * that can pass a config value into `CORS(...)`), with Flask-CORS's own.
 */
export function keysReadIn(text: string): WantedKey {
  const read = new Set<string>();
  for (const m of text.matchAll(/\.config(?:\[\s*|\.get\(\s*)['"]([A-Za-z_]\w*)['"]/g))
    read.add(m[1]);
  return (key) => corsKeys(key) || read.has(key);
}

/** Flask-CORS's options among config keys, named as `get_app_kwarg_dict` reads them. */
export function corsLayer(
  values: ConfigValues,
  unknown: boolean,
  mayHide?: (name: string) => boolean,
): OptionLayer {
  const options = new Map<string, RawOption>();
  for (const [key, value] of values)
    if (key.startsWith('CORS_'))
      options.set(key.slice(5).toLowerCase(), { ...value, config: true });
  return { options, unknown, mayHide };
}

/** The module's top-level `wanted` keys. */
export async function configModuleValues(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  wanted: WantedKey = corsKeys,
): Promise<{ values: ConfigValues; files: string[] }> {
  const module = await new SettingsModuleReader(reader, {}, wanted).read(file, text, tree);
  const values: ConfigValues = new Map();
  for (const [name, setting] of module.settings) {
    if (!wanted(name) || setting.statement.file !== file) continue;
    let node: Node | null = tree.descendantForIndex(setting.statement.start, setting.statement.end);
    while (node && node.type !== 'assignment') node = node.parent;
    const right = node?.childForFieldName('right');
    if (right) values.set(name, { value: setting.value, at: setting.statement, node: right });
  }
  return { values, files: module.files };
}
