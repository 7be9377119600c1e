/**
 * Drives the VS Code workbench in a browser page as a person does: keyboard shortcuts, the quick
 * open and command palette, the lightbulb menu, the Problems panel. Waits are on what the page
 * shows (selectors, text), each bounded, never a fixed sleep.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { hangGuardMs } from '../../support/hang-guard';

// A guard against a hang, not a pace: it grows with the machine's load.
const timeout = hangGuardMs(30_000);

/** The few DOM types the page functions use (the test project compiles without the DOM lib). */
interface PageLine {
  style: { top: string };
  innerText: string;
}
declare const document: { querySelectorAll(selector: string): Iterable<PageLine> };

/**
 * Runs in the page: the active editor's lines sorted by position (the DOM order of view lines is
 * not the line order), non-breaking spaces as spaces, trailing blanks dropped. With `want`, only
 * that exact text counts (false otherwise), so `waitForFunction` can wait for it.
 */
const readActiveEditor = (want: string | null): string | false => {
  const text = [
    ...document.querySelectorAll('.editor-group-container.active .view-lines .view-line'),
  ]
    .map((n) => ({ top: parseFloat(n.style.top), text: n.innerText }))
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text.replace(/\u00a0/g, ' ').replace(/\s+$/, ''))
    .join('\n');
  return want === null || text === want ? text : false;
};

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshots: string,
  ) {}

  /** The workspace folder on disk (set by `open`): `openFile` names files by absolute path. */
  private folder: string | undefined;

  /** Loads the workbench on `folder` and waits until it is laid out (status bar shown). */
  async open(url: string, folder: string): Promise<void> {
    this.folder = folder;
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  }

  /** Waits (bounded) until the status bar shows `text` (e.g. "Restricted Mode"). */
  async waitForStatus(text: string): Promise<void> {
    await this.page.locator('.part.statusbar', { hasText: text }).waitFor({ timeout });
  }

  /**
   * Closes a modal dialog of the workbench's own if one shows within `ms` (Escape), and returns
   * its text, so that a test can report it instead of timing out behind it.
   */
  async dismissDialog(ms = 2_000): Promise<string | undefined> {
    const dialog = this.page.locator('.monaco-dialog-box');
    const shown = await dialog.waitFor({ timeout: ms }).then(
      () => true,
      () => false,
    );
    if (!shown) return undefined;
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    await this.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout });
    return text;
  }

  /**
   * Ctrl+P, types the file's absolute path, opens it; resolves once its editor is active (tab and
   * breadcrumbs). An absolute path lists that one file without searching the workspace (VS Code's
   * own smoke tests open files so): no wait on the file index, no same-named row to tell apart.
   */
  async openFile(relativePath: string): Promise<void> {
    if (!this.folder) throw new Error('openFile before open(): no workspace folder');
    // A modal dialog makes the workbench inert: name it rather than time out on the quick open.
    const dialog = this.page.locator('.monaco-dialog-box');
    if (await dialog.isVisible())
      throw new Error(`a dialog is open: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
    const name = path.basename(relativePath);
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const row = rows.filter({ hasText: name });
    // Opened when its tab is active and the first breadcrumb is its top folder (or itself).
    const opened = this.page
      .locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item')
      .first()
      .filter({ hasText: relativePath.split('/')[0] });
    // Focus can move while the quick open shows (a late webview or notification): ask again
    // (Escape, then a new quick open) until the file is the one open, within a load-scaled limit.
    const deadline = Date.now() + hangGuardMs(120_000);
    const inTime = async (wait: Promise<void>): Promise<boolean> => {
      try {
        await wait;
        return true;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`${relativePath} did not open: ${await this.state()}`, { cause: error });
        return false;
      }
    };
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    for (;;) {
      await this.page.keyboard.press('Control+P');
      await input.waitFor({ timeout });
      await input.fill(path.join(this.folder, relativePath));
      if ((await inTime(row.first().waitFor({ timeout: 15_000 }))) && (await rows.count()) === 1) {
        await input.press('Enter');
        if (await inTime(opened.waitFor({ timeout: 15_000 }))) {
          await this.activeTab(name).waitFor({ timeout });
          return;
        }
      }
      if (await input.isVisible()) await this.page.keyboard.press('Escape');
    }
  }

  /** What the workbench shows, for a failure message: quick-open rows, active tab, dialog, notifications. */
  private async state(): Promise<string> {
    const texts = async (selector: string) =>
      (await this.page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const shown = {
      quickOpen: await texts('.quick-input-list .monaco-list-row'),
      activeTab: await texts('.editor-group-container.active .tab.active'),
      dialog: await texts('.monaco-dialog-box'),
      notifications: await texts('.notification-toast'),
    };
    return JSON.stringify(shown);
  }

  /** The active editor tab whose label contains `name`. */
  activeTab(name: string): Locator {
    return this.page.locator('.editor-group-container.active .tab.active', { hasText: name });
  }

  /**
   * The content of extension `extensionId`'s webview panel (one open at a time): VS Code hosts
   * each webview in an iframe (its URL names the extension) whose page loads the extension's HTML
   * in an inner iframe (`#active-frame`).
   */
  webview(extensionId: string): FrameLocator {
    return this.page
      .frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}&"]`)
      .frameLocator('#active-frame');
  }

  /** Error squiggles in the active editor. */
  errorSquiggles(): Locator {
    return this.page.locator('.editor-group-container.active .squiggly-error');
  }

  /** The active editor's text, line by line in order (view lines are positioned, not ordered, in the DOM). */
  editorText(): Promise<string> {
    return this.page.evaluate(readActiveEditor, null) as Promise<string>;
  }

  /** Waits (bounded) until the active editor shows exactly `expected`; returns what it shows. */
  async waitForEditorText(expected: string): Promise<string> {
    await this.page.waitForFunction(readActiveEditor, expected, { timeout }).catch(() => undefined);
    return this.editorText();
  }

  /** The cursor position the status bar shows, e.g. "Ln 13, Col 5". */
  cursorStatus(text: string): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text });
  }

  /** Moves the cursor to a 1-based line (Ctrl+G). */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout });
  }

  /**
   * Ctrl+. on the cursor: resolves with the quick-fix menu once it shows its items. On a loaded
   * machine the first Ctrl+. can come before the editor has the code actions ("No code actions
   * available" shows instead of the menu), so it is pressed again, three times at most.
   */
  async openQuickFix(): Promise<Locator> {
    const menu = this.page
      .locator('.action-widget')
      .filter({ has: this.page.locator('.monaco-list-row') })
      .first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ timeout: timeout / 3 });
        return menu;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Ctrl+Shift+M: the Problems panel's text. */
  async problems(): Promise<string> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ timeout });
    return panel.innerText();
  }

  /** Runs a command from the palette (Ctrl+Shift+P) by its full title. */
  async runCommand(title: string): Promise<void> {
    const rows = await this.paletteRows(title);
    await rows.filter({ hasText: title }).first().waitFor({ timeout });
    // On the input, not the page: a late focus hand-off to a webview must not take the key.
    await this.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
  }

  /**
   * Runs "Developer: Show Running Extensions" and returns the row of extension `name`. The list
   * is sorted by activation time and renders only the rows in view, so a quickly activated
   * extension may be far down: the list is scrolled until its row shows.
   */
  async runningExtension(name: string): Promise<Locator> {
    await this.runCommand('Developer: Show Running Extensions');
    const rows = this.page.locator('.monaco-list-row').filter({ hasText: /Activation/ });
    await rows.first().waitFor({ timeout });
    const row = rows.filter({ hasText: name }).first();
    for (let scrolled = 0; scrolled < 50 && !(await row.isVisible()); scrolled++) {
      await rows.first().hover();
      await this.page.mouse.wheel(0, 300);
      await row.waitFor({ timeout: 300 }).catch(() => undefined);
    }
    await row.waitFor({ timeout });
    return row;
  }

  /** Opens the palette, types `filter` and returns the matching rows (the palette stays open). */
  async paletteRows(filter: string): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout });
    await input.fill(`>${filter}`);
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout });
    return rows;
  }

  /** Waits for a quick input (pick or box) whose title contains `title`. */
  async quickInput(title: string): Promise<void> {
    await this.page
      .locator('.quick-input-widget .quick-input-title', { hasText: title })
      .waitFor({ timeout });
  }

  /** Answers the quick input titled `title`: types `text` (a filter or a value) and presses Enter. */
  async answer(title: string, text: string): Promise<void> {
    await this.quickInput(title);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (text) await input.fill(text);
    if (await this.page.locator('.quick-input-list .monaco-list-row').first().isVisible()) {
      await this.page
        .locator('.quick-input-list .monaco-list-row.focused', { hasText: text })
        .first()
        .waitFor({ timeout });
    }
    await input.press('Enter');
    await this.page
      .locator('.quick-input-widget .quick-input-title', { hasText: title })
      .waitFor({ state: 'hidden', timeout });
  }

  /** Saves a screenshot as `<name>.png` in the artifacts folder. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.screenshots, { recursive: true });
    const file = path.join(this.screenshots, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
