/** What the render layer draws from: the journal's summary of one period (the contract's /api/journal/summary). */
export type { GradePoint, JournalSummary, SymptomSummary } from '../journal.types';
