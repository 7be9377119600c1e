/** The first-squiggle breakdown's words (pure: unit-tested). */

/** One phase of the way to the first squiggle, at an epoch time in ms. */
export interface Mark {
  phase: string;
  at: number;
  detail?: string;
}

/** One line per mark, as the "CORS Lens" output shows it (the e2e reads these). */
export const markLine = (m: Mark): string =>
  `CORS Lens timing: ${m.phase} at ${m.at}${m.detail ? ` (${m.detail})` : ''}`;

/** The marks in an output text (the lines `markLine` wrote), in order. */
export function readMarks(text: string): Mark[] {
  return [...text.matchAll(/CORS Lens timing: ([\w-]+) at (\d+)(?: \(([^)\n]*)\))?/g)].map((m) => ({
    phase: m[1],
    at: Number(m[2]),
    ...(m[3] ? { detail: m[3] } : {}),
  }));
}

/** `activate +0 ms · server-ready +412 ms (+412) · …`: each phase from the first, and the step. */
export function breakdown(marks: readonly Mark[]): string {
  const sorted = [...marks].sort((a, b) => a.at - b.at);
  const first = sorted[0]?.at ?? 0;
  return sorted
    .map((m, i) => {
      const step = i === 0 ? '' : ` (+${m.at - sorted[i - 1].at})`;
      return `${m.phase} +${m.at - first} ms${step}`;
    })
    .join(' · ');
}
