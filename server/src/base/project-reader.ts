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
    if (file !== this.file && !insideProject(this.root, file)) return undefined;
    this.budget?.check();
    return this.inner.read(file);
  }
}

/** `reader` bounded to `file`'s project, its reads checking `budget` when one is given. */
export function projectReader(reader: SourceReader, file: string, budget?: Budget): SourceReader {
  return new ProjectReader(reader, file, budget);
}
