/**
 * The extension-host entry of the VS Code API suite (`extensionTestsPath`): runs the steps of
 * extension.e2e.ts in order and rejects on the first failure, which @vscode/test-electron turns
 * into a non-zero exit. No test framework: the steps share one workspace and depend on each other.
 */
import { steps } from './extension.e2e';

/** Called by VS Code once the window and the extension under development are up. */
export async function run(): Promise<void> {
  for (const [name, step] of steps) {
    const t0 = Date.now();
    try {
      await step();
      console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
    } catch (error) {
      console.error(
        `  ✖ ${name}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      throw error;
    }
  }
  console.log(`${steps.length} passed, 0 failed`);
}
