import type { GrammarId } from './parser';

/** The grammar that parses a file, by its extension; undefined for languages not analysed yet. */
export function grammarFor(file: string): GrammarId | undefined {
  if (/\.py$/i.test(file)) return 'python';
  if (/\.[mc]?jsx?$/i.test(file)) return 'javascript';
  if (/\.[mc]?ts$/i.test(file)) return /\.d\.[mc]?ts$/i.test(file) ? undefined : 'typescript';
  if (/\.tsx$/i.test(file)) return 'tsx';
  // `.ru` is a rackup file (config.ru).
  if (/\.(rb|ru)$/i.test(file)) return 'ruby';
  // nginx.conf, and *.conf (or any file in sites-*/) under an nginx/, sites-*/ or conf.d/ folder.
  if (/(^|[\\/])nginx\.conf$/i.test(file) || /[\\/](nginx|sites-[^\\/]+|conf\.d)[\\/](.*[\\/])?[^\\/]+\.conf$/i.test(file) || /[\\/]sites-(available|enabled)[\\/][^\\/.]+$/i.test(file)) return 'nginx';
  return undefined;
}
