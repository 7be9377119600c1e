import { format } from 'node:util';
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type DataCallback,
  type Disposable,
  type ContentTypeEncoder,
  type Message,
} from 'vscode-languageserver/node';
import { EncodedDiagnostics } from './encoded-diagnostics';

/** Stands for the encoded diagnostics in the message's JSON until their bytes are spliced in. */
const placeholder = '\u0000cors-lens-encoded-diagnostics';
const mark = JSON.stringify(placeholder);
const encoder = new TextEncoder();

/**
 * JSON for the wire, as vscode-jsonrpc's own encoder writes it, except that a message whose
 * `params.diagnostics` are {@link EncodedDiagnostics} gets their bytes as they are.
 */
const splicingEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (message: Message): Promise<Uint8Array> => {
    const params = (message as { params?: { diagnostics?: unknown } }).params;
    const encoded = params?.diagnostics;
    if (!(encoded instanceof EncodedDiagnostics))
      return Promise.resolve(encoder.encode(JSON.stringify(message)));
    const text = JSON.stringify({ ...message, params: { ...params, diagnostics: placeholder } });
    const at = text.lastIndexOf(mark);
    const head = encoder.encode(text.slice(0, at));
    const tail = encoder.encode(text.slice(at + mark.length));
    const out = new Uint8Array(head.length + encoded.json.length + tail.length);
    out.set(head);
    out.set(encoded.json, head.length);
    out.set(tail, head.length + encoded.json.length);
    return Promise.resolve(out);
  },
};

/** Notes a `shutdown` request as it passes: the exit code when the client then closes stdin. */
class StdinReader extends StreamMessageReader {
  shutdown = false;

  listen(callback: DataCallback): Disposable {
    return super.listen((message) => {
      if ((message as { method?: string }).method === 'shutdown') this.shutdown = true;
      callback(message);
    });
  }
}

/**
 * The connection over stdin/stdout, with {@link splicingEncoder}. Does what vscode-languageserver
 * does for its own `--stdio`: the process ends when the client closes stdin (0 after `shutdown`,
 * 1 otherwise), and `console` goes to the client's log, never into the protocol's stdout.
 */
export function stdioConnection(): Connection {
  const reader = new StdinReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout, {
    charset: 'utf-8',
    contentTypeEncoder: splicingEncoder,
  });
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  const end = () => process.exit(reader.shutdown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  const log = (...args: unknown[]) => connection.console.log(format(...args));
  const error = (...args: unknown[]) => connection.console.error(format(...args));
  Object.assign(console, { log, info: log, debug: log, warn: error, error });
  return connection;
}
