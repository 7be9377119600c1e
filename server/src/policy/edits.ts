/** Replace [start, end) of `file` (UTF-16 offsets) with `newText`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

/** A quick fix: what it does, and the edits that do it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}
