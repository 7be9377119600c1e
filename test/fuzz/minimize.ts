/**
 * Delta debugging (ddmin, complement-removal only) over lines, then characters: the smallest
 * input found within a test or time budget for which `fails` still holds.
 */
export async function minimize(
  input: string,
  fails: (candidate: string) => Promise<boolean>,
  budget: { tests: number; ms: number },
): Promise<{ text: string; tests: number }> {
  const deadline = performance.now() + budget.ms;
  let tests = 0;
  const over = () => tests >= budget.tests || performance.now() > deadline;
  const test = async (c: string) => {
    tests++;
    return fails(c);
  };

  async function ddmin(units: string[]): Promise<string[]> {
    let n = 2;
    while (units.length >= 2 && !over()) {
      const size = Math.ceil(units.length / n);
      let reduced = false;
      for (let start = 0; start < units.length && !over(); start += size) {
        const complement = [...units.slice(0, start), ...units.slice(start + size)];
        if (complement.length === 0) continue;
        if (await test(complement.join(''))) {
          units = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (n >= units.length) break;
        n = Math.min(units.length, n * 2);
      }
    }
    return units;
  }

  const lines = input.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [input];
  let text = (await ddmin(lines)).join('');
  if (text.length <= 50_000 && !over()) {
    // Characters in chunks first (a long line of nesting reduces by halves), then one by one.
    text = (await ddmin(Array.from(text))).join('');
  }
  return { text, tests };
}
