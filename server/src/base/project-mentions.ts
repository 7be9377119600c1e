/**
 * "Does any other file of this project name it?": the question behind the rules that quiet a
 * module nothing loads (a JS plugin no file requires, a Python app nothing imports or launches, a
 * hook function nothing registers). One listing and one cache serve them all.
 */
import { projectFiles } from './nearby-files';
import type { SourceReader } from './source-reader';

/**
 * Answers are kept a few seconds per file and question: an edit of the file re-asks on every
 * keystroke, and each answer reads every file of the project.
 */
const CACHE_MS = 10_000;
const MAX_KEPT = 2_000;
const answers = new Map<string, { at: number; none: boolean }>();

/** What to look for in the other files of a project. */
export interface MentionSearch {
  /** Names the question, for the cache (`module`, `hook:after_request_cors`). */
  question: string;
  /** The files that may hold a mention (by path). */
  mayName: (file: string) => boolean;
  /** Whether a file's text mentions the thing. */
  mentions: (text: string) => boolean;
}

/**
 * Whether no file of `file`'s project other than itself (among those `mayName` keeps) mentions the
 * thing. False when the project cannot be listed whole (no root marker, too many files) or a file
 * cannot be read: an unknown answer never quiets a finding.
 */
export function nothingElseMentions(
  file: string,
  reader: SourceReader,
  search: MentionSearch,
): boolean {
  const key = `${file}\0${search.question}`;
  const now = Date.now();
  const hit = answers.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.none;
  const files = projectFiles(file, reader, (f) => f !== file && search.mayName(f));
  const none =
    !!files &&
    files.every((other) => {
      const written = reader.read(other);
      return written !== undefined && !search.mentions(written);
    });
  if (answers.size >= MAX_KEPT) answers.clear();
  answers.set(key, { at: now, none });
  return none;
}
