import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FeatureClient } from '@tally/client';
import type { common, feature } from '@tally/contracts';
import { repoRoot } from '@tally/testkit';

/** The stored features of view applicant_profile (features/credit.yaml), as columns of data/lending_club.csv. */
export const PROFILE_FEATURES = [
  'annual_inc',
  'emp_length',
  'verification_status',
  'delinq_2yrs',
  'inq_last_6mths',
  'revol_util',
  'acc_now_delinq',
  'open_il_6m',
  'open_il_12m',
  'open_il_24m',
  'total_bal_il',
  'all_util',
  'inq_fi',
  'inq_last_12m',
  'delinq_amnt',
  'num_il_tl',
  'total_il_high_credit_limit',
] as const;

const CATEGORICAL = new Set(['emp_length', 'verification_status']);

/** One row of training/reference/credit_risk.jsonl: an applicant, a checkout context and the expected scores. */
export interface ReferenceRow {
  applicant_id: number;
  context: { amount: number; term: number; int_rate: number; sub_grade: string };
  columns: string[];
  vector: number[];
  /** Expected probability of default per model version ("1", "2"). */
  expected: Record<string, number>;
}

export function referenceRows(): ReferenceRow[] {
  const file = path.join(repoRoot(), 'training/reference/credit_risk.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ReferenceRow);
}

/** Every data row of data/lending_club.csv; applicant_id = 1-based row number (data/README.md). */
function lendingClubRows(): Array<Record<string, string>> {
  const text = fs.readFileSync(path.join(repoRoot(), 'data/lending_club.csv'), 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

/** applicant_profile rows for `ids`, typed as the registry declares them, with event time now. */
export function profileRows(ids: readonly number[]): feature.FeatureRow[] {
  const rows = lendingClubRows();
  const now = Date.now();
  return ids.map((id) => {
    const source = rows[id - 1];
    if (source === undefined) throw new Error(`data/lending_club.csv has no row ${id}`);
    const values: Record<string, common.Value> = {};
    for (const name of PROFILE_FEATURES) {
      const raw = source[name];
      if (raw === undefined) throw new Error(`data/lending_club.csv has no column ${name}`);
      if (CATEGORICAL.has(name)) values[name] = { stringValue: raw };
      else if (Number.isInteger(Number(raw))) values[name] = { int64Value: Number(raw) };
      else values[name] = { doubleValue: Number(raw) };
    }
    return { keys: { applicant_id: { int64Value: id } }, values, eventTimeUnixMs: now };
  });
}

/** Writes the profiles of `ids` through the feature-service (WriteFeatureRows). */
export async function loadApplicants(features: FeatureClient, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const res = await features.writeFeatureRows({
      featureView: 'applicant_profile',
      rows: profileRows(ids.slice(i, i + 1000)),
    });
    if (res.rowsWritten + res.rowsIgnoredOlder !== Math.min(1000, ids.length - i)) {
      throw new Error(`WriteFeatureRows wrote ${res.rowsWritten} of ${ids.length - i} rows`);
    }
  }
}
