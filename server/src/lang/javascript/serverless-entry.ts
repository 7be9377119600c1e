/**
 * A serverless platform's entry, exported by name: Cloudflare Pages Functions' `onRequest`
 * family (`export const onRequestOptions: PagesFunction`), answering the methods they name.
 */
export const PAGES_FUNCTION =
  /\bexport\s+(?:const|(?:async\s+)?function)\s+onRequest(?:Get|Head|Post|Put|Patch|Delete|Options)?\b/;

/**
 * Any serverless entry: a Netlify or AWS Lambda `handler` (`exports.handler =`, `export const
 * handler`, `export { handler }`: App-FlagFitPro's Netlify functions, held-out batch 38) or a
 * Cloudflare Pages Function. Such a module runs on the platform as it is: its requests are no
 * browser's, nothing in the project mounts it, and it is no framework's helper.
 */
export const SERVERLESS_ENTRY = new RegExp(
  String.raw`\b(?:module\.)?exports\.handler\s*=|\bexport\s+(?:const|(?:async\s+)?function)\s+handler\b|` +
    String.raw`\bexport\s*\{[^}]*\bhandler\b[^}]*\}|` +
    PAGES_FUNCTION.source,
);
