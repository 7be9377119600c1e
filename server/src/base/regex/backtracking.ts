export interface BacktrackingRisk { kind: 'exponential' | 'polynomial'; part: string; attack: string }
export function backtrackingRisk(): BacktrackingRisk | null { return null; }
