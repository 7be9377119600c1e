import path from 'node:path';
import { projectRootOf } from '../../base/project-root';
import type { SourceReader } from '../../base/source-reader';

/**
 * Whether the Gemfile of `file`'s project declares `gem '<name>'`. Apps split over many files
 * (a Sinatra filter in `app/controllers/before.rb`, `enable :cross_origin` in `setup/configure.rb`)
 * name their framework only in the Gemfile, so a file's own text cannot say which library runs it.
 */
export function gemfileDeclares(file: string, reader: SourceReader, name: string): boolean {
  const root = projectRootOf(file, reader.scopes);
  const declared = new RegExp(`^[ \\t]*gem\\s*\\(?\\s*['"]${name.replace(/[-]/g, '\\-')}['"]`, 'm');
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const gemfile = reader.read(path.join(dir, 'Gemfile'));
    if (gemfile !== undefined) return declared.test(gemfile);
    if (dir === root || dir === path.dirname(dir)) return false;
  }
}

/**
 * The major version `Gemfile.lock` of `file`'s project locks a gem at (`    rails (5.2.8)` under
 * `specs:`), or undefined when there is no lock file or it does not name the gem.
 */
export function lockedMajor(file: string, reader: SourceReader, name: string): number | undefined {
  const root = projectRootOf(file, reader.scopes);
  const locked = new RegExp(`^ {4}${name.replace(/[-]/g, '\\-')} \\((\\d+)\\.`, 'm');
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const lock = reader.read(path.join(dir, 'Gemfile.lock'));
    if (lock !== undefined) {
      const major = locked.exec(lock)?.[1];
      return major === undefined ? undefined : Number(major);
    }
    if (dir === root || dir === path.dirname(dir)) return undefined;
  }
}
