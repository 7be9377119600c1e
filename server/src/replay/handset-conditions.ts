/**
 * How the hand-set header models (Python, Ruby, Sinatra, PHP, Node) decide which branch a request
 * takes. Their readers write conditions as the same tree: `not`/`and`/`or` over leaves, the
 * common leaves being a method test, an Origin allowlist test and "has an Origin"; a language
 * adds leaves of its own (a regex test, a header test) and its own idea of truth.
 */

/** The part of a condition this reads: the combinators and the common leaves. */
export interface ConditionTree<C> {
  kind: string;
  inner?: C;
  parts?: C[];
  methods?: string[];
  values?: string[];
  /** An allowlist read at run time (`app.config[...]`): the operator's frontends. */
  configured?: boolean;
}

/** The request as a condition sees it. */
export interface SeenRequest {
  /** As the language compares it (upper-cased by most readers). */
  method: string;
  /** The Origin header (repeats joined), undefined without one. */
  origin?: string;
}

/**
 * Whether `test` holds: `not`/`and`/`or` here, every other kind by `leaf` (a kind no one reads,
 * such as the reader's `unknown`, counts as false there).
 */
export function conditionHolds<C extends ConditionTree<C>>(
  test: C,
  leaf: (test: C) => boolean,
): boolean {
  switch (test.kind) {
    case 'not':
      return !!test.inner && !conditionHolds(test.inner, leaf);
    case 'and':
      return (test.parts ?? []).every((p) => conditionHolds(p, leaf));
    case 'or':
      return (test.parts ?? []).some((p) => conditionHolds(p, leaf));
    default:
      return leaf(test);
  }
}

/**
 * The common leaves: a method test, an Origin allowlist test, and "has an Origin" where
 * `present` is the language's truth of the header (Python's `if origin:` is false for an empty
 * one, Ruby's `if origin` is not); anything else is false.
 */
export function requestLeaf<C extends ConditionTree<C>>(
  test: C,
  seen: SeenRequest,
  present: (origin: string | undefined) => boolean,
): boolean {
  switch (test.kind) {
    case 'method':
      return !!test.methods?.includes(seen.method);
    case 'origin-in':
      // A list from configuration is the operator's frontends: the origin asked about is one.
      return (
        seen.origin !== undefined && (!!test.configured || !!test.values?.includes(seen.origin))
      );
    case 'origin-present':
      return present(seen.origin);
    default:
      return false;
  }
}
