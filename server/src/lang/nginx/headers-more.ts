/**
 * nginx-extras' headers-more directives touching a CORS header (`more_set_headers
 * "Access-Control-Allow-Origin: *"`, `more_clear_headers Access-Control-*`), which CORS Lens does
 * not model.
 */
export const HEADERS_MORE = /^[ \t]*more_(?:set|clear)_headers\b[^;\n]*access-control-/im;
