import type { Connection } from 'vscode-languageserver';
import { defaultSettings, type CorsLensSettings } from '../analysis/settings';

/** The configuration section the client's settings live under. */
export const configurationSection = 'corsLens';

type Json = unknown;

const levels = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Same JSON shape as the default: same primitive type, arrays of strings, objects of strings. */
function fits(value: Json, fallback: Json): boolean {
  if (Array.isArray(fallback))
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (fallback !== null && typeof fallback === 'object') {
    return (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).every((v) => typeof v === 'string')
    );
  }
  return typeof value === typeof fallback;
}

/**
 * The user's settings over the defaults, key by key: a value of the wrong type (a hand-edited
 * settings.json) falls back to its default instead of reaching the checks.
 */
export function normalizeSettings(raw: Json): CorsLensSettings {
  const out: Record<string, Json> = { ...defaultSettings };
  if (raw !== null && typeof raw === 'object') {
    const given = raw as Record<string, Json>;
    for (const key of Object.keys(defaultSettings) as (keyof CorsLensSettings)[]) {
      if (key in given && fits(given[key], defaultSettings[key])) out[key] = given[key];
    }
    // Unknown levels would reach the checks' output as severities nobody can display.
    out.severity = Object.fromEntries(
      Object.entries(out.severity as Record<string, string>).filter(([, level]) =>
        levels.has(level),
      ),
    );
  }
  return out as unknown as CorsLensSettings;
}

/**
 * Settings per document, pulled with `workspace/configuration` (scoped to the document, so
 * folder settings apply) and cached until the client says they changed. Clients without that
 * capability get what they push in `didChangeConfiguration`, or the defaults.
 */
export class ConfigurationStore {
  private readonly cache = new Map<string, Promise<CorsLensSettings>>();
  private pushed: CorsLensSettings = normalizeSettings(undefined);
  /** The `environment` last served for each document, and as it was before the last change. */
  private served = new Map<string, string>();
  private before = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  get(uri: string): Promise<CorsLensSettings> {
    return this.pull(uri).then((settings) => {
      this.served.set(uri, settings.environment);
      return settings;
    });
  }

  /**
   * Whether the document's `environment` differs from the one served before the last change
   * (its analysis was read in another environment: policies must be extracted again).
   */
  async environmentSwitched(uri: string): Promise<boolean> {
    const was = this.before.get(uri);
    return was !== undefined && was !== (await this.get(uri)).environment;
  }

  private pull(uri: string): Promise<CorsLensSettings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: configurationSection })
        .then(normalizeSettings, (error: unknown) => {
          this.connection.console.error(
            `CORS Lens: reading settings failed, using defaults: ${String(error)}`,
          );
          return normalizeSettings(undefined);
        });
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** Forgets cached settings; `pushed` is the `settings` of a `didChangeConfiguration`. */
  changed(pushed: Json): void {
    this.cache.clear();
    this.before = this.served;
    this.served = new Map();
    if (pushed !== null && typeof pushed === 'object' && configurationSection in pushed) {
      this.pushed = normalizeSettings((pushed as Record<string, Json>)[configurationSection]);
    }
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.served.delete(uri);
    this.before.delete(uri);
  }
}
