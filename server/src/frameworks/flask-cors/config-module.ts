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

/** The module's `CORS_*` keys as an app.config layer (names as `get_app_kwarg_dict` reads them). */
export async function configModuleLayer(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<{ layer: OptionLayer; files: string[] }> {
  const module = await new SettingsModuleReader(reader, {}, (name) =>
    name.startsWith('CORS_'),
  ).read(file, text, tree);
  const options = new Map<string, RawOption>();
  for (const [name, setting] of module.settings) {
    if (!name.startsWith('CORS_') || setting.statement.file !== file) continue;
    let node: Node | null = tree.descendantForIndex(setting.statement.start, setting.statement.end);
    while (node && node.type !== 'assignment') node = node.parent;
    const right = node?.childForFieldName('right');
    if (right)
      options.set(name.slice(5).toLowerCase(), {
        value: setting.value,
        at: setting.statement,
        node: right,
      });
  }
  return { layer: { options, unknown: false }, files: module.files };
}
