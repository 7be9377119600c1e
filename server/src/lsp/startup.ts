/**
 * The server's part of the first-squiggle breakdown (issue 21): when its process started, and
 * when the grammars the client asked for were loaded. The client names the grammars of the files
 * open at activation (`--preload=python,javascript`) so they load while the connection is set up,
 * not after the first document arrives; the others still load on first use.
 */
import { loadGrammar, type GrammarId } from '../parsing/parser';
import { languages } from '../parsing/languages';
import type { StartupTimings } from './protocol';

const PRELOAD = '--preload=';

/** The grammars `--preload=` names that the server knows. */
export function preloadedGrammars(argv: readonly string[]): GrammarId[] {
  const known = new Set<string>(languages.map((l) => l.id));
  const named = argv.flatMap((arg) =>
    arg.startsWith(PRELOAD) ? arg.slice(PRELOAD.length).split(',') : [],
  );
  return [...new Set(named)].filter((id): id is GrammarId => known.has(id));
}

/** Starts loading the grammars `argv` names; resolves with the timings (epoch ms) once loaded. */
export function preloadGrammars(argv: readonly string[]): Promise<StartupTimings> {
  const grammars = preloadedGrammars(argv);
  const processStart = Math.round(performance.timeOrigin);
  const grammarsFrom = Date.now();
  return Promise.all(grammars.map((id) => loadGrammar(id))).then(
    () => ({ processStart, grammars, grammarsFrom, grammarsLoaded: Date.now() }),
    // A grammar that fails to load fails again, and is reported, with its first document.
    () => ({ processStart, grammars: [], grammarsFrom }),
  );
}
