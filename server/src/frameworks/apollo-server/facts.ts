/**
 * What Apollo Server's standalone server says beyond the neutral policy: the `cors()` it runs
 * cannot be configured, so the facts are about the GraphQL side the model answers with, and
 * whether CSRF prevention was turned off.
 */
import type { Span } from '../../policy/types';

export interface ApolloServerFacts {
  /** `csrfPrevention` of the `new ApolloServer({...})` in the file (on unless written `false`). */
  csrfPrevention: boolean;
  /** The `csrfPrevention: false` entry, when written (the last `csrfPrevention` key: it wins). */
  csrfOffAt?: Span;
  /** Every `csrfPrevention` entry of those options (duplicates too): the fix takes them all out. */
  csrfEntries?: Span[];
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'apollo-server': ApolloServerFacts;
  }
}
