import type { SourceTree } from '../../parsing/source-tree';
import type { NextMiddleware } from './facts';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { sourceRegex } from './paths';
import { HandlerReader } from '../../lang/javascript/web-response';
import { exportedFunctions } from './route';

/** Whether a file is a middleware (`middleware.ts`) or Next 16's `proxy.ts` by its name. */
export const isMiddlewareFile = (file: string): boolean =>
  /(?:^|[/\\])(?:middleware|proxy)\.[mc]?[jt]s$/.test(file);

/** `config.matcher` as regexes: a string, a list of strings, or `{ source }` objects. */
function matchers(js: JsEvaluator, tree: SourceTree): { regexes: string[]; dynamic: boolean } {
  const config = js.declaration('config');
  if (!config) return { regexes: [], dynamic: false };
  const value = js.evaluate(unwrap(config));
  const matcher =
    value.kind === 'dict'
      ? value.entries.find((e) => e.key.kind === 'str' && e.key.value === 'matcher')?.value
      : undefined;
  if (!matcher) return { regexes: [], dynamic: value.kind !== 'dict' && !!tree };
  const items = matcher.kind === 'list' ? matcher.items : [matcher];
  const regexes: string[] = [];
  let dynamic = false;
  for (const item of items) {
    const source =
      item.kind === 'str'
        ? item.value
        : item.kind === 'dict'
          ? item.entries.find((e) => e.key.kind === 'str' && e.key.value === 'source')?.value
          : undefined;
    const text =
      typeof source === 'string' ? source : source?.kind === 'str' ? source.value : undefined;
    const regex = text === undefined ? undefined : sourceRegex(text);
    if (regex) regexes.push(regex);
    else dynamic = true;
  }
  return { regexes, dynamic };
}

/** The middleware function's CORS headers: on `NextResponse.next()` and on responses it returns. */
export function readMiddleware(
  file: string,
  tree: SourceTree,
): { middleware?: NextMiddleware; partial: boolean } {
  const exported = exportedFunctions(tree.root);
  const fn = exported.get('middleware') ?? exported.get('proxy') ?? exported.get('default');
  if (!fn) return { partial: false };
  const js = new JsEvaluator(file, tree.root);
  const result = new HandlerReader(js, file).read(fn);
  const match = matchers(js, tree);
  const pass = result.returns.find((r) => r.next);
  const own = result.returns.find((r) => !r.next);
  const middleware: NextMiddleware = {
    file,
    matchers: match.regexes,
    passThrough: pass?.shape.headers ?? [],
    answers: own ? { methods: own.methods, response: own.shape } : undefined,
    span: spanOf(file, fn),
  };
  return { middleware, partial: result.partial || match.dynamic || result.returns.length > 2 };
}
