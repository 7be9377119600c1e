import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExplainAnswer } from '../../server/src/lsp/explain-protocol';
import { applyFix } from './explain-fix';
import { parseExplainMessage, renderExplainPage } from './explain-html';
import { showSourceAt } from './show-source';

/** The webview type of the explanation. */
export const explainViewType = 'corsLens.explain';

/**
 * The explanation of a browser's CORS error: one panel per window, beside the editor, replaced by
 * each new explanation. Its links open the lines; "Apply fix" applies an item's fix (refused when
 * a file changed since the answer was made).
 */
export class ExplainPanel {
  private static current: ExplainPanel | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private answer: ExplainAnswer,
  ) {
    panel.onDidDispose(() => {
      if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw));
    this.render();
  }

  /** Shows `answer`, reusing the open panel. */
  static show(answer: ExplainAnswer): void {
    const open = ExplainPanel.current;
    if (open) {
      open.answer = answer;
      open.render();
      open.panel.reveal(vscode.ViewColumn.Beside, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      explainViewType,
      'CORS Lens: Explain',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      // The page loads nothing: its style and script are inline, by nonce.
      { enableScripts: true, localResourceRoots: [], enableFindWidget: true },
    );
    ExplainPanel.current = new ExplainPanel(panel, answer);
  }

  private render(): void {
    const nonce = randomBytes(16).toString('base64');
    this.panel.webview.html = renderExplainPage(this.answer, {
      nonce,
      cspSource: this.panel.webview.cspSource,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseExplainMessage(raw);
    if (!message) return;
    if (message.type === 'open') return showSourceAt(message);
    const fix = this.answer.items[message.item]?.fix;
    if (fix?.changes.length) await applyFix(fix);
  }
}
