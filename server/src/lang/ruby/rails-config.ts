/**
 * Rails' custom configuration, `config.x.NAME = value`, as one environment runs it: Rails runs
 * config/application.rb, then config/environments/<Rails.env>.rb, then the initializers, so an
 * initializer's `Rails.application.config.x.cors_origins` reads the environment file's value when
 * it sets one, else the application's. Outside an environment nothing is read: each environment's
 * file may set its own value, so the read stays unknown.
 *
 * NOTE: the load order is Rails 6.1's (railties' `load_environment_config` initializer runs before
 * `load_config_initializers`), checked with Debian's ruby-rails in test/truth/environments.test.ts.
 */
import path from 'node:path';
import { projectRootOf } from '../../base/project-root';
import type { SourceReader } from '../../base/source-reader';
import { railsEnvName } from '../../environment/resolve';
import { currentEnvironment } from '../../environment/scope';
import { parseText } from '../../parsing/parser';
import { assignmentsOf, RubyEvaluator, type RubyValue } from './evaluate';

/** `config.x.NAME = value` (inside `Rails.application.configure do` or the application class). */
const ASSIGNMENT = /^config\.x\.(\w+)$/;

export interface RailsConfigX {
  /** Each `config.x` name the environment's files set, with its value. */
  values: Map<string, RubyValue>;
  /** The files that set them (the policy was built from them too). */
  files: string[];
}

/** The `config.x` settings of the Rails app holding `file`, in the current environment. */
export async function railsConfigX(file: string, reader: SourceReader): Promise<RailsConfigX> {
  const environment = currentEnvironment();
  const out: RailsConfigX = { values: new Map(), files: [] };
  if (!environment) return out;
  const root = projectRootOf(file, reader.scopes);
  const config = path.join(root, 'config');
  for (const source of [
    path.join(config, 'application.rb'),
    path.join(config, 'environments', `${railsEnvName(environment)}.rb`),
  ]) {
    const text = reader.read(source);
    if (text === undefined || !/\bconfig\.x\./.test(text)) continue;
    const tree = await parseText('ruby', text);
    try {
      const evaluator = new RubyEvaluator(source, assignmentsOf(tree.root), out.values);
      let found = false;
      for (const assignment of tree.root.descendantsOfType('assignment')) {
        const name =
          assignment && ASSIGNMENT.exec(assignment.childForFieldName('left')?.text ?? '');
        const value = name && evaluator.evaluate(assignment.childForFieldName('right'));
        if (!name || !value) continue;
        out.values.set(name[1], value);
        found = true;
      }
      if (found) out.files.push(source);
    } finally {
      tree.delete();
    }
  }
  return out;
}
