import type { HttpRequest } from '../fetch';
import { modelLabel, type LibraryModel } from './library-model';

/** A stand-in for the cookie a signed-in user's browser holds for the API's site. */
const SESSION_COOKIE: [string, string] = ['Cookie', 'sessionid=signed-in-user'];

const isPreflight = (request: HttpRequest) =>
  request.method === 'OPTIONS' &&
  request.headers.some(([name]) => name.toLowerCase() === 'access-control-request-method');

/**
 * The model as a signed-in user's browser meets it: a credentialed request carries the session
 * cookie (a preflight never does). The Fetch evaluator leaves cookies out of requests, but some
 * libraries answer differently when one is there (Starlette echoes the origin instead of `*`).
 */
export function withSessionCookie(model: LibraryModel): LibraryModel {
  return {
    library: model.library,
    labelFor: (policy) => modelLabel(model, policy),
    respond: (policy, request) =>
      model.respond(
        policy,
        isPreflight(request)
          ? request
          : { ...request, headers: [...request.headers, SESSION_COOKIE] },
      ),
  };
}
