import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';

/** One line of training/reference/credit_risk.jsonl (see training/README.md). */
export interface ReferenceRow {
  applicant_id: number;
  held_out: boolean;
  class: string;
  context: { amount: number; term: number; int_rate: number; sub_grade: string };
  columns: string[];
  /** The float32 vector the trainer built, each value printed as the double equal to it. */
  vector: number[];
  /** P(bad) from the trainer's predict_proba, per model version. */
  expected: Record<string, number>;
}

export const REFERENCE_FILE = path.join(repoRoot(), 'training/reference/credit_risk.jsonl');

export function referenceRows(): ReferenceRow[] {
  return fs
    .readFileSync(REFERENCE_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReferenceRow);
}
