// The apply module's public surface.
export { applyPlan, liveChecksum, type ApplyOptions, type ApplyResult, type StatementAt, type PreCheckOutcome, type StepOutcome } from './apply-plan.js';
export { ApplyStore, type HistoryRow, type JournalRow } from './apply-store.js';
