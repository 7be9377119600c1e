import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The PHP files of a folder (`routes/*.php`), none when it does not exist. */
export function phpFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith('.php'))
      .map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}
