const GRADE_WORDS = ['none', 'mild', 'moderate', 'severe', 'very severe'] as const;

/** A grade (0-4) in words, lower case: "none" … "very severe". */
export const gradeWord = (grade: number): string => GRADE_WORDS[grade] ?? String(grade);
