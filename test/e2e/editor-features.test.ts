/**
 * End-to-end in code-server (as code-server.test.ts: the packaged .vsix, Debian's Chromium) for
 * the editor features of issues 20 and 21: the status bar item and its menu, the "CORS Lens"
 * output channel with the server's log, the preview webview (a typed origin, the lines behind
 * the verdict, header tables, "Compare with live server" against the real Django dev server)
 * and "CORS Lens: Explain a CORS Error…" from a pasted Chromium message to the line and its fix.
 * Screenshots go to $CORS_LENS_E2E_ARTIFACTS (default: <tmp>/cors-lens-e2e-screenshots).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, type TruthBrowser } from '../truth/chromium/browser';
import { cliFindings } from './support/cli-expectations';
import {
  CodeServer,
  e2eArtifacts,
  installCodeServer,
  packageVsix,
  type CodeServerInstall,
} from './support/code-server';
import { startWorkspaceDjango } from './support/django-dev-server';
import { Workbench } from './support/workbench';
import { hangGuardMs } from '../support/hang-guard';
import { breakdown, readMarks } from '../../client/src/startup-text';

const fixture = path.resolve(__dirname, '../fixtures/e2e/workspace');
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes: { commands: { command: string; title: string; category?: string }[] };
};
const title = (id: string) => {
  const c = pkg.contributes.commands.find((x) => x.command === id);
  assert.ok(c, `${id} is contributed`);
  return `${c.category}: ${c.title}`;
};
const extensionId = `${pkg.publisher}.${pkg.name}`;
/** What Chromium printed for a fetch sending x-session-token to the fixture's Django. */
const chromiumMessage =
  "Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:3000' has been blocked by CORS policy: Request header field x-session-token is not allowed by Access-Control-Allow-Headers in preflight response.";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-e2e-editor-'));
const stopAfter: (() => void | Promise<void>)[] = [];
let browser: TruthBrowser | undefined;

describe(
  'real VS Code (code-server): status bar, output, preview webview, explain',
  { timeout: 12 * 60_000 },
  () => {
    let install: CodeServerInstall;
    let folder: string;
    let bench: Workbench;
    let codeServer: CodeServer;

    before(async () => {
      install = installCodeServer();
      const vsix = packageVsix(scratch);
      browser = await launchChromium();
      folder = path.join(scratch, 'workspace');
      fs.cpSync(fixture, folder, { recursive: true });
      const server = await CodeServer.start({ install, vsix, workspaceTrust: false });
      codeServer = server;
      stopAfter.push(() => server.stop());
      // The explain command reads the clipboard first (it offers a CORS error found there).
      await browser.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      const page = await browser.page.context().newPage();
      await page.setViewportSize({ width: 1600, height: 1100 });
      // The shared 2-CPU machine can take more than the default 30 s to load the workbench.
      page.setDefaultNavigationTimeout(120_000);
      bench = new Workbench(page, e2eArtifacts);
      await bench.open(server.folderUrl(folder), folder);
    });

    after(async () => {
      for (const stop of stopAfter.reverse()) await stop();
      await browser?.close();
      console.log(`\neditor e2e screenshots in ${e2eArtifacts}`);
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('the status bar counts the findings of the file; its menu shows the output with the server log', async () => {
      const count = cliFindings(folder).filter((f) => f.file === 'settings.py').length;
      // Opening the file activates the extension: the first-squiggle breakdown starts here, and
      // the squiggle is watched for from now on (not only once the quick open returns).
      const opened = Date.now();
      const squiggled = bench
        .errorSquiggles()
        .first()
        .waitFor({ timeout: hangGuardMs(180_000) })
        .then(() => Date.now());
      await bench.openFile('settings.py');
      const squiggle = await squiggled;
      const item = bench.page.locator('.part.statusbar .statusbar-item', {
        hasText: `CORS Lens: ${count} finding${count === 1 ? '' : 's'}`,
      });
      await item.waitFor({ timeout: hangGuardMs(30_000) });
      await bench.screenshot('editor-1-status-bar');
      await item.click();
      await bench.quickInput('CORS Lens');
      const rows = await bench.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      for (const entry of [
        'Preview Effective Headers',
        'Probe Dev Server',
        'Explain a CORS Error',
        'Show Output',
      ])
        assert.ok(
          rows.some((r) => r.includes(entry)),
          `the menu lacks ${entry}: ${rows.join(' | ')}`,
        );
      await bench.answer('CORS Lens', 'Show Output');
      const log = bench.page.locator('.part.panel', { hasText: 'CORS Lens: analysed settings.py' });
      await log.waitFor({ timeout: hangGuardMs(30_000) });
      await bench.screenshot('editor-2-output-channel');
      // The output view renders spaces as no-break spaces.
      assert.match(
        (await log.innerText()).replace(/\s/g, ' '),
        /analysed settings\.py \(v\d+\) in \d+ ms: 1 CORS policy/,
      );
      await bench.runCommand('View: Hide Panel');

      // Where the time to the first squiggle went: the phases the extension logged.
      const deadline = Date.now() + 30_000;
      let channel = codeServer.outputChannelText('CORS Lens');
      while (!channel.includes('CORS Lens first squiggle:') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        channel = codeServer.outputChannelText('CORS Lens');
      }
      const marks = readMarks(channel);
      const at = (phase: string) => {
        const mark = marks.find((m) => m.phase === phase);
        assert.ok(mark, `no ${phase} in the CORS Lens output:\n${channel}`);
        return mark.at;
      };
      const ready = at('first-diagnostics') - at('server-ready');
      // Issue 21's target, reported like the bench's targets (not asserted): on this shared
      // 2-CPU machine the same run measured 446 ms and 1,208 ms depending on the other load.
      const report = [
        `first squiggle in code-server (${new Date(opened).toISOString()}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)})`,
        breakdown([
          { phase: 'quick-open', at: opened },
          ...marks,
          { phase: 'squiggle-seen', at: squiggle },
        ]),
        `server ready → first diagnostics: ${ready} ms (target ≤ 1000 ms: ${ready <= 1000 ? 'met' : 'missed'})`,
        `activation → squiggle seen: ${squiggle - at('activate')} ms`,
      ].join('\n');
      console.log(`\n${report}`);
      fs.mkdirSync(e2eArtifacts, { recursive: true });
      fs.writeFileSync(path.join(e2eArtifacts, 'first-squiggle.txt'), `${report}\n`);
      // The phases are logged in the order they happen: the preloaded grammar is ready before the
      // first analysis ends, the server before the first diagnostics, the squiggle after them.
      assert.ok(at('activate') <= at('server-ready'));
      assert.ok(at('grammars-loaded') <= at('first-diagnostics'), 'the grammar was preloaded');
      assert.ok(at('server-ready') <= at('first-diagnostics'));
      // The server stamps its log line after it publishes, the test sees the squiggle as soon as
      // it paints: a few ms either way on a loaded machine (one CI run saw the squiggle first).
      assert.ok(at('first-diagnostics') <= squiggle + 250);
    });

    it('the preview is a webview: a typed origin, the line behind the verdict, header tables, compare with live', async () => {
      await bench.openFile('settings.py');
      await bench.runCommand(title('corsLens.previewEffectiveHeaders'));
      // Not on any list (the fixture allows every origin): typed, and taken as typed.
      await bench.answer('(1/5)', 'https://evil.example');
      await bench.answer('(2/5)', 'PUT');
      await bench.answer('(3/5)', 'content-type: application/json');
      await bench.answer('(4/5)', 'Include credentials');
      await bench.quickInput('(5/5)');
      await bench.page.locator('.quick-input-widget .quick-input-box input').fill('/api/items');
      await bench.page.keyboard.press('Enter');
      const view = bench.webview(extensionId);
      const verdict = view.locator('h2.verdict');
      await verdict.waitFor({ timeout: hangGuardMs(30_000) });
      assert.equal(await verdict.innerText(), 'Allowed');
      const line =
        fs
          .readFileSync(path.join(folder, 'settings.py'), 'utf8')
          .split('\n')
          .findIndex((l) => l.startsWith('CORS_ALLOW_ALL_ORIGINS')) + 1;
      const because = view.locator('ul.links li', { hasText: `settings.py:${line}` }).first();
      assert.match(await because.innerText(), /CORS_ALLOW_ALL_ORIGINS allows every origin/);
      const tables = await view.locator('table').allInnerTexts();
      assert.ok(
        tables.some((t) => /access-control-allow-origin\s+https:\/\/evil\.example/i.test(t)),
        tables.join('\n---\n'),
      );
      await bench.screenshot('editor-3-preview-webview');

      // The real Django dev server on the same settings: the probe runs inside the preview.
      const django = await startWorkspaceDjango(path.join(folder, 'settings.py'), scratch);
      stopAfter.push(() => django.stop());
      await view.locator('#live-url').fill(`${django.base}/api/items`);
      await view.locator('#compare').click();
      const live = view.locator('#live h2.allowed, #live h2.blocked');
      await live.waitFor({ timeout: hangGuardMs(30_000) });
      assert.equal(await live.innerText(), 'Allowed');
      await view
        .locator('#live', { hasText: 'The live server behaves as the policy predicts.' })
        .waitFor({ timeout: hangGuardMs(30_000) });
      await bench.screenshot('editor-4-preview-compare');

      // A link opens the line in the editor.
      await view
        .locator('ul.links a', { hasText: `settings.py:${line}` })
        .first()
        .click();
      await bench.cursorStatus(`Ln ${line}, Col 1`).waitFor({ timeout: hangGuardMs(30_000) });
    });

    it('"Explain a CORS Error…": a pasted Chromium message names the file and line, and the fix applies', async () => {
      await bench.runCommand('View: Close All Editor Groups');
      await bench.runCommand(title('corsLens.explainError'));
      await bench.quickInput('Explain a CORS Error');
      const input = bench.page.locator('.quick-input-widget .quick-input-box input');
      await input.fill('Paste');
      await bench.page
        .locator('.quick-input-list .monaco-list-row.focused', {
          hasText: 'Paste or type the error',
        })
        .waitFor({ timeout: hangGuardMs(30_000) });
      await bench.page.keyboard.press('Enter');
      await bench.page
        .locator('.quick-input-widget .quick-input-message', { hasText: 'Paste the error' })
        .waitFor({ timeout: hangGuardMs(30_000) });
      await input.fill(chromiumMessage);
      await bench.page.keyboard.press('Enter');
      const view = bench.webview(extensionId);
      const cause = view.locator('p.cause');
      await cause.waitFor({ timeout: hangGuardMs(30_000) });
      assert.match(
        await cause.innerText(),
        /x-session-token is not in the headers the policy allows/,
      );
      const line = view.locator('ul.links a', { hasText: /^settings\.py:\d+$/ }).first();
      await line.waitFor({ timeout: hangGuardMs(30_000) });
      assert.match(
        await view.locator('section.item').first().innerText(),
        /Allow 'x-session-token' in CORS_ALLOW_HEADERS/,
      );
      const apply = view.locator('button[data-apply="0"]', { hasText: 'Apply fix' });
      await apply.waitFor({ timeout: hangGuardMs(30_000) });
      await bench.screenshot('editor-5-explain');
      await apply.click();
      const files = ['settings.py', 'config/settings.py'].map((f) => path.join(folder, f));
      const deadline = Date.now() + 60_000;
      let fixed: string | undefined;
      // The edit is applied asynchronously after the click: save until it reaches the disk.
      while (!fixed && Date.now() < deadline) {
        await bench.runCommand('File: Save All Files');
        fixed = files.find((f) =>
          /CORS_ALLOW_HEADERS = \(\s*\*default_headers,\s*"x-session-token",?\s*\)/.test(
            fs.readFileSync(f, 'utf8'),
          ),
        );
        if (!fixed) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(fixed, 'the fix added x-session-token to CORS_ALLOW_HEADERS');
      assert.match(
        fs.readFileSync(fixed, 'utf8'),
        /from corsheaders\.defaults import default_headers/,
      );
      await bench.screenshot('editor-6-explain-applied');
      // A modal dialog here would make the quick open below inert: reported, then closed. (The
      // quick open that failed here in full CI runs was closed by the webview taking focus back,
      // not by a dialog: see 'workbench.quickOpen.closeOnFocusLost' in support/code-server.ts.)
      const dialog = await bench.dismissDialog();
      if (dialog) console.log(`# a dialog was open after the fix was saved: ${dialog}`);
      await bench.openFile(path.relative(folder, fixed));
      await bench.screenshot('editor-6-explain-fixed');
    });

    it('the status bar environment: switching to production recomputes the squiggles and the preview', async () => {
      // An Express app beside the Django one: it reflects any origin unless CORS_ORIGIN is set,
      // which .env.production does.
      const web = path.join(folder, 'web');
      fs.cpSync(path.resolve(__dirname, '../fixtures/protocol/environment-switch'), web, {
        recursive: true,
      });
      await bench.runCommand('View: Close All Editor Groups');
      await bench.openFile('web/server.js');
      const findings = (text: string) =>
        bench.page.locator('.part.statusbar .statusbar-item', { hasText: text });
      const environment = (name: string) =>
        bench.page.locator('.part.statusbar .statusbar-item', {
          hasText: `CORS Lens env: ${name}`,
        });
      await findings('CORS Lens: 2 findings').waitFor({ timeout: hangGuardMs(60_000) });
      await environment('as written').waitFor({ timeout: hangGuardMs(30_000) });
      await bench.screenshot('editor-7-environment-as-written');

      await environment('as written').click();
      await bench.answer('CORS Lens: environment', 'production');
      await environment('production').waitFor({ timeout: hangGuardMs(30_000) });
      // In production CORS_ORIGIN is set: nothing is reflected, and its fallback is not taken.
      await findings('CORS Lens: no findings').waitFor({ timeout: hangGuardMs(30_000) });
      const workspaceSettings = JSON.parse(
        fs.readFileSync(path.join(folder, '.vscode/settings.json'), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(workspaceSettings['corsLens.environment'], 'production');
      await bench.screenshot('editor-8-environment-production');

      // The preview reads the same environment; its path prompt offers a route the app serves.
      await bench.runCommand(title('corsLens.previewEffectiveHeaders'));
      await bench.answer('(1/5)', 'https://evil.example');
      await bench.answer('(2/5)', 'GET');
      await bench.answer('(3/5)', '');
      await bench.answer('(4/5)', 'Include credentials');
      await bench.quickInput('(5/5)');
      const input = bench.page.locator('.quick-input-widget .quick-input-box input');
      assert.equal(await input.inputValue(), '/api/items');
      await bench.page.keyboard.press('Enter');
      const view = bench.webview(extensionId);
      const verdict = view.locator('h2.verdict');
      await verdict.waitFor({ timeout: hangGuardMs(30_000) });
      assert.match(await verdict.innerText(), /^Blocked/);
      assert.equal(await view.locator('.environment').first().innerText(), 'production');
      await bench.screenshot('editor-9-preview-production');

      // Back to the code as written: the open preview is computed again.
      await environment('production').click();
      await bench.answer('CORS Lens: environment', 'As written');
      await view.locator('h2.verdict.allowed').waitFor({ timeout: hangGuardMs(30_000) });
      await findings('CORS Lens: 2 findings').waitFor({ timeout: hangGuardMs(30_000) });
    });
  },
);
