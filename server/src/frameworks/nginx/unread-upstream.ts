/**
 * The app behind a `proxy_pass` when it is written in a language CORS Lens does not read (Go,
 * Java, Kotlin, C#, Rust, Elixir) and sets CORS headers itself: sa-todo-list-api's nginx adds
 * `Access-Control-Allow-Origin $http_origin` in front of a Go app running go-chi/cors (held-out
 * batch 34), so every response of an origin the app allows carries the header twice, which
 * browsers refuse; judging nginx's lines alone (an echo of every origin, no Vary, no `always`) was
 * wrong on all three counts. The app is the one of the nginx file's project whose code names the
 * `proxy_pass` port (nearest files first, bounded), or a Spring app when the port is its default
 * 8080.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { nearbyFiles } from '../../base/nearby-files';
import type { SourceRef } from '../../policy/types';

/** Source files of the languages no extractor reads. */
const UNREAD = /\.(?:go|java|kt|cs|rs|ex|exs)$/;

/** Code that sets CORS headers: a CORS library of the language, or the header written by hand. */
const SETS_CORS = new RegExp(
  [
    // Go: rs/cors, go-chi/cors, gin-contrib/cors, echo's and fiber's middleware, by hand.
    String.raw`"github\.com/(?:rs|go-chi|gin-contrib)/cors"|middleware\.CORS(?:WithConfig)?\(|fiber/v\d/middleware/cors"`,
    String.raw`Header\(\)\.(?:Set|Add)\(\s*"Access-Control-Allow-Origin"`,
    // Spring, ASP.NET Core, Rust's actix-cors and tower-http, Elixir's CORSPlug and Corsica.
    String.raw`@CrossOrigin\b|\baddCorsMappings\b|\bCorsConfiguration\b|\.(?:AddCors|UseCors)\s*\(`,
    String.raw`\bactix_cors\b|\btower_http::cors\b|\bCORSPlug\b|\bCorsica\b`,
  ].join('|'),
);

/**
 * The file of the project's app in an unread language that sets CORS and listens on `port`, as a
 * reference to its CORS line; undefined when none is found.
 */
export function unreadUpstream(
  nginxFile: string,
  port: number,
  reader: SourceReader,
): SourceRef | undefined {
  const listens = new RegExp(`(?<![\\w.])${port}(?!\\d)`);
  for (const level of nearbyFiles(nginxFile, reader, (f) => UNREAD.test(f))) {
    for (const file of level) {
      const text = reader.read(file);
      const sets = text ? SETS_CORS.exec(text) : null;
      if (!text || !sets) continue;
      const spring = /\.(?:java|kt)$/.test(file) && port === 8080;
      const published = new RegExp(`(?:^|[\\s"'-])${port}:\\d+`, 'm');
      if (
        !spring &&
        !listens.test(text) &&
        !listens.test(besideApp(file, ENV_FILES, reader)) &&
        !published.test(besideApp(file, COMPOSE_FILES, reader))
      )
        continue;
      return {
        span: { file, start: sets.index, end: sets.index + sets[0].length },
        label: `${path.basename(file)} (${sets[0].replace(/\s+/g, ' ')})`,
      };
    }
  }
  return undefined;
}

/** Where an app keeps its PORT. */
const ENV_FILES = ['.env', '.env.example'];
/** Where a compose file publishes it (`ports: - 8080:8000`, host port first). */
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

/** The texts of the named files in the app file's folder and its parent. */
const besideApp = (file: string, names: string[], reader: SourceReader): string =>
  [path.dirname(file), path.dirname(path.dirname(file))]
    .flatMap((dir) => names.map((name) => reader.read(path.join(dir, name)) ?? ''))
    .join('\n');
