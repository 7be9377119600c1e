import type { Span, StaticValue } from '../../policy/types';
import type { KnownModules } from '../../lang/python/settings-module';

/** The dotted path Django's MIDDLEWARE must list for django-cors-headers to do anything. */
export const CORS_MIDDLEWARE = 'corsheaders.middleware.CorsMiddleware';

/** `corsheaders.defaults` in django-cors-headers 3.14 (same in 4.x). */
export const defaultHeaders = [
  'accept',
  'accept-encoding',
  'authorization',
  'content-type',
  'dnt',
  'origin',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
];
export const defaultMethods = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** A tuple of strings all placed at `span` (the import that brought them in). */
const tupleAt =
  (values: string[]) =>
  (span: Span): StaticValue => ({
    kind: 'list',
    tuple: true,
    span,
    items: values.map((value) => ({ kind: 'str', value, span })),
  });

export const corsheadersModules: KnownModules = {
  'corsheaders.defaults': {
    default_headers: tupleAt(defaultHeaders),
    default_methods: tupleAt(defaultMethods),
  },
};
