import type { HttpRequest, HttpResponse } from '../fetch/types';
import type { Policy } from '../policy/types';

/** What one CORS library sends for one request, given the policy it was configured with. */
export interface LibraryModel {
  /** Library and the version whose behaviour this models, e.g. `django-cors-headers 3.14.0`. */
  readonly library: string;
  /**
   * The library and version as modelled for one policy, when that depends on the project (the
   * Express major its package.json or lockfile says); `library` otherwise.
   */
  labelFor?(policy: Policy): string;
  respond(policy: Policy, request: HttpRequest): HttpResponse;
}

/** What the model is called for `policy`: what previews, messages and snapshots show. */
export const modelLabel = (model: LibraryModel, policy: Policy): string =>
  model.labelFor?.(policy) ?? model.library;
