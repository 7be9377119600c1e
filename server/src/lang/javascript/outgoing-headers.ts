import type { HeaderList } from '../../fetch/types';

/**
 * Node's `http.OutgoingMessage` header store as far as the wire order goes: one entry per
 * lowercase name, kept at the position it was first set; `setHeader` replaces the values (and the
 * name's case), `appendHeader` adds a line under the same entry.
 */
export class OutgoingHeaders {
  private readonly entries = new Map<string, { name: string; values: string[] }>();

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  get(name: string): string[] | undefined {
    return this.entries.get(name.toLowerCase())?.values;
  }

  set(name: string, value: string | string[]): void {
    const values = Array.isArray(value) ? value : [value];
    const entry = this.entries.get(name.toLowerCase());
    if (entry) {
      entry.name = name;
      entry.values = values;
    } else {
      this.entries.set(name.toLowerCase(), { name, values });
    }
  }

  append(name: string, value: string): void {
    const entry = this.entries.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else this.entries.set(name.toLowerCase(), { name, values: [value] });
  }

  /** The store of header lines in wire order (repeated names kept as one entry's lines). */
  static of(lines: HeaderList): OutgoingHeaders {
    const headers = new OutgoingHeaders();
    for (const [name, value] of lines) headers.append(name, value);
    return headers;
  }

  /** The header lines in wire order. */
  lines(): HeaderList {
    return [...this.entries.values()].flatMap(({ name, values }) =>
      values.map((v): [string, string] => [name, v]),
    );
  }
}
