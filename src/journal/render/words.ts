import { GRADE_LABELS, type Grade } from '../symptoms';

/** A grade (0-4) in words, lower case: "none" … "very severe" (the catalogue's labels). */
export const gradeWord = (grade: number): string => GRADE_LABELS[grade as Grade]?.toLowerCase() ?? String(grade);
