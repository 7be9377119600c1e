import type { HttpRequest, HttpResponse } from '../fetch/types';
import type { Policy } from '../policy/types';

/** What one CORS library sends for one request, given the policy it was configured with. */
export interface LibraryModel {
  /** Library and the version whose behaviour this models, e.g. `django-cors-headers 3.14.0`. */
  readonly library: string;
  respond(policy: Policy, request: HttpRequest): HttpResponse;
}
