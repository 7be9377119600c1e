import type { SourceReader } from '../base/source-reader';
import type { Check, FrameworkServices } from '../checks/types';
import type { GrammarId } from '../parsing/parser';
import type { SourceTree } from '../parsing/source-tree';
import type { FrameworkId, Policy } from '../policy/types';

/** One framework's extractor: the CORS policies a file sets up (none when it sets up none). */
export type Extractor = (
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
) => Promise<Policy[]>;

/**
 * Everything CORS Lens knows of one framework, registered once in `frameworks/index.ts`. The rest
 * of the code reaches a framework only through this: the analysis runs `extract` for files of its
 * `grammars`, checks get `model`, `fixes` and `devServer` through their context, and the
 * framework's own `checks` run beside the neutral ones.
 */
export interface FrameworkDescriptor extends FrameworkServices {
  id: FrameworkId;
  /** The library (and version) the model is verified against, as users name it. */
  name: string;
  /** The grammars of the files that can hold its setup. */
  grammars: readonly GrammarId[];
  extract: Extractor;
  /** Checks that read this framework's facts (the neutral checks run on every framework). */
  checks: readonly Check[];
  /**
   * Whether a file without a CORS token may still yield this framework's setup, because it pulls
   * it in from other files (a settings module that star-imports another, an nginx `include`, a
   * Next.js route handler whose next.config adds headers). Such files skip the cheap pre-filter.
   */
  inheritsSetup?(file: string, text: string): boolean;
}

/** An extractor of at most one policy per file, as an `Extractor`. */
export const single =
  (
    extract: (
      file: string,
      text: string,
      tree: SourceTree,
      reader: SourceReader,
    ) => Promise<Policy | null>,
  ): Extractor =>
  async (...args) => {
    const policy = await extract(...args);
    return policy ? [policy] : [];
  };
