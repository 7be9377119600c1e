/**
 * Rack middleware that can answer a request on its own (without calling the app below it), and
 * Rails' default stack, for telling what runs before Rack::Cors.
 */
import type { RackCorsPosition } from './facts';

/** Middleware that answers by itself, and what it answers with. */
export const RESPONDERS: Record<string, string> = {
  'ActionDispatch::SSL': 'HTTPS redirects',
  'ActionDispatch::HostAuthorization': '"Blocked host" pages',
  'ActionDispatch::Static': 'files from public/',
  'ActionDispatch::ShowExceptions': 'error pages',
  'ActionDispatch::DebugExceptions': 'development error pages',
  'ActiveRecord::Migration::CheckPending': 'pending-migration errors',
  'Warden::Manager': '401s from Devise',
  'Rack::Attack': '429s and 403s',
  'Rack::Cache': 'cached responses',
  'Rack::Static': 'static files',
  'Rack::Auth::Basic': '401 challenges',
  'Rack::Auth::Digest::MD5': '401 challenges',
};

/**
 * Rails 6.1's default stack in development (`bin/rails middleware`), in request order
 * (test/truth/rails-stack.test.ts).
 */
export const RAILS_STACK = [
  'ActionDispatch::HostAuthorization',
  'Rack::Sendfile',
  'ActionDispatch::Static',
  'ActionDispatch::Executor',
  'ActiveSupport::Cache::Strategy::LocalCache::Middleware',
  'Rack::Runtime',
  'Rack::MethodOverride',
  'ActionDispatch::RequestId',
  'ActionDispatch::RemoteIp',
  'Rails::Rack::Logger',
  'ActionDispatch::ShowExceptions',
  'ActionDispatch::DebugExceptions',
  'ActionDispatch::ActionableExceptions',
  'ActionDispatch::Reloader',
  'ActionDispatch::Callbacks',
  'ActiveRecord::Migration::CheckPending',
  'ActionDispatch::Cookies',
  'ActionDispatch::Session::CookieStore',
  'ActionDispatch::Flash',
  'ActionDispatch::ContentSecurityPolicy::Middleware',
  'ActionDispatch::PermissionsPolicy::Middleware',
  'Rack::Head',
  'Rack::ConditionalGet',
  'Rack::ETag',
  'Rack::TempfileReaper',
];

const unquote = (name: string) => name.replace(/^(['"])(.*)\1$/, '$2').replace(/^::/, '');

/** The middleware that runs before Rack::Cors, or undefined when the position is not known. */
function runsBefore(position: RackCorsPosition): string[] | undefined {
  if (position.stack === 'rackup') return position.before.map((b) => b.name);
  const anchor = position.anchor === undefined ? undefined : unquote(position.anchor);
  const index =
    anchor === undefined ? -1 : /^\d+$/.test(anchor) ? Number(anchor) : RAILS_STACK.indexOf(anchor);
  switch (position.how) {
    case 'unshift':
      return [];
    // `use` appends after the whole default stack (and after Devise's Warden::Manager, when used).
    case 'use':
      return RAILS_STACK;
    case 'insert':
    case 'insert_before':
      return index < 0 ? undefined : RAILS_STACK.slice(0, index);
    case 'insert_after':
      if (anchor === 'Warden::Manager') return [...RAILS_STACK, anchor];
      return index < 0 ? undefined : RAILS_STACK.slice(0, index + 1);
    default:
      return undefined;
  }
}

/**
 * Responders of RAILS_STACK that older Rails does not have, by the major version that added it
 * (HostAuthorization: Rails 6.0's release notes; only Rails 6.1 runs here, so this is read, not
 * run).
 */
const ADDED_IN: Record<string, number> = { 'ActionDispatch::HostAuthorization': 6 };

/** The middleware before Rack::Cors that can answer on its own, in request order. */
export function respondersBefore(position: RackCorsPosition): string[] {
  const major = position.railsMajor;
  return (runsBefore(position) ?? []).filter(
    (name) => name in RESPONDERS && (major === undefined || major >= (ADDED_IN[name] ?? 0)),
  );
}
