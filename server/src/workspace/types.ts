import type { HeaderList } from '../fetch/types';
import type { Span } from '../policy/types';

/** One cross-origin call a frontend file makes (`fetch`, axios), as far as it is known statically. */
export interface FrontendCall {
  /** The call expression. */
  span: Span;
  client: 'fetch' | 'axios';
  /** The absolute URL it targets (base URL resolved, environment defaults included). */
  url: string;
  method: string;
  /** Request headers it sets; values are the literal when known, else a placeholder. */
  headers: HeaderList;
  credentials: 'omit' | 'same-origin' | 'include';
}

/** Facts about the whole workspace that cross-file checks read. */
export interface WorkspaceFacts {
  /** Every frontend call found in the workspace's JS/TS files. */
  calls: FrontendCall[];
}
