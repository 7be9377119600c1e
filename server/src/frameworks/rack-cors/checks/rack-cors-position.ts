import { factsOf } from '../../../policy/types';
import type { RackCorsPosition } from '../facts';
import { respondersBefore, RESPONDERS } from '../middleware';
import type { Check, CheckContext } from '../../../checks/types';
import type { Fix } from '../../../policy/edits';

/** Rewrites the call so Rack::Cors goes first: `insert_before 0, Rack::Cors`, or the `use` line moved up. */
function moveFirst(
  position: RackCorsPosition,
  firstResponder: string,
  context: CheckContext,
): Fix | undefined {
  const text = context.text(position.call.file);
  if (position.stack === 'rails') {
    const head = text.slice(position.head.start, position.head.end);
    const open = /^\w+([\s(]+)/.exec(head)?.[1] ?? ' ';
    return {
      title: 'Insert Rack::Cors first: insert_before 0',
      edits: [{ ...position.head, newText: `insert_before${open}0, Rack::Cors` }],
    };
  }
  const target = position.before.find((b) => b.name === firstResponder);
  if (!target) return undefined;
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const from = lineStart(position.call.start);
  // Only whole lines move: the `use Rack::Cors ... end` statement must start its line.
  if (text.slice(from, position.call.start).trim() !== '') return undefined;
  const eol = text.indexOf('\n', position.call.end);
  const to = eol < 0 ? text.length : eol + 1;
  // A blank line above the statement goes with it, so no double gap stays behind.
  const cut = text.slice(from - 2, from) === '\n\n' ? from - 1 : from;
  const block = text.slice(from, to).replace(/\n?$/, '\n');
  const at = lineStart(target.span.start);
  return {
    title: `Move \`use Rack::Cors\` above \`use ${firstResponder}\``,
    edits: [
      { file: position.call.file, start: at, end: at, newText: `${block}\n` },
      { file: position.call.file, start: cut, end: to, newText: '' },
    ],
  };
}

/**
 * File servers: their answers lacking CORS headers matters only when another site fetches the
 * files (fonts, JSON), which the resources say when they name files; assets an app's own pages
 * load with `<link>`/`<script>` need no CORS (held-out batch 9: a Sinatra API's Rack::Static).
 */
const FILE_SERVERS = new Set(['Rack::Static', 'ActionDispatch::Static']);
const FILE_PATH =
  /assets|packs|fonts?\b|static|public|images?\b|uploads|media|files|\.(woff2?|ttf|otf|eot|css|js|json|svg|png|jpe?g|gif|webp)\b/i;

export const rackCorsPosition: Check = {
  id: 'rack-cors-position',
  severity: 'warning',
  frameworks: ['rack-cors'],
  description:
    'Rack::Cors runs after middleware that can answer on its own (static files, error pages, Warden), whose responses then lack CORS headers.',
  fix: {
    description:
      '`insert_before 0, Rack::Cors` / move `use Rack::Cors` above the first responding middleware',
    safety: 'review',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'rack-cors');
    // One finding per Rack::Cors, not per resource.
    if (!facts || facts.resource !== 0) return [];
    const { position } = facts.setup;
    const filesShared = facts.setup.resources.some(
      (r) => r.pattern !== 'dynamic' && FILE_PATH.test(r.pattern),
    );
    const responders = respondersBefore(position).filter(
      (r) => filesShared || !FILE_SERVERS.has(r),
    );
    if (!responders.length) return [];
    const what = responders.map((r) => `${r} (${RESPONDERS[r]})`).join(', ');
    const where =
      position.stack === 'rails'
        ? `Rack::Cors is added with config.middleware.${position.how}, so it runs after ${what}`
        : `\`use Rack::Cors\` comes after ${what}`;
    return [
      {
        message: `${where}: those responses carry no CORS headers, and the browser reports a CORS error instead of the real status. Put Rack::Cors first.`,
        span: position.head,
        fix: moveFirst(position, responders[0], context),
      },
    ];
  },
};
