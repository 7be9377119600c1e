/**
 * The probe: real HTTP to a dev server, judged by the same Fetch evaluator as the preview. No
 * VS Code and no LSP here; the CLI and the language server are its two front ends.
 */
export { probe, fetchFor, ProbeInputError, PROBE_USER_AGENT } from './engine';
export { probeReport, type ProbeOptions, type ProbeReport } from './report';
export {
  sweepCandidates,
  classifyRisk,
  byRisk,
  ARBITRARY_ORIGIN,
  type Risk,
  type SweepCandidate,
  type SweepKind,
} from './sweep';
export { runSweep, type SweepRow } from './sweep-run';
export {
  compareWithLive,
  type Comparison,
  type CompareRow,
  type ResponseComparison,
} from './compare';
export { explainProbe, failureLink, failuresOf, originRule, type ProbeLink } from './links';
export { policySources, previewReasons } from './preview-links';
export { parseTarget, originProblem } from './target';
export {
  defaultLimits,
  type Exchange,
  type ProbeError,
  type ProbeErrorKind,
  type ProbeInput,
  type ProbeLimits,
  type ProbePreflight,
  type ProbeResult,
} from './types';
export { coveredPathOf, suggestedUrl, suggestedServerUrl, pathPrefix } from './defaults';
