import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoIngestArgs } from '@tally/cli';
import type { IngestSummary } from '@tally/cli';
import { ScoringClient, double, int64 } from '@tally/client';
import type { ServiceProcess } from '@tally/testkit';
import { referenceRows } from './reference-rows';
import type { ReferenceRow } from './reference-rows';
import { DEMO_FILE, startFeatureService, startModelServer, tally } from './services';

/**
 * The guard against training/serving skew: the demo applicants go in through the real ingestion path
 * (`tally ingest` against a real feature-service), every reference row of the training run is scored
 * through the running services (Score, with the row's checkout context), and the served probability
 * must match the trainer's to 1e-5 — on both model versions.
 */
const TOLERANCE = 1e-5;
const CONCURRENCY = 16;
const REFERENCE = referenceRows();

interface RowResult {
  row: ReferenceRow;
  score: number;
  version: string;
  notPresent: string[];
  columns: string[];
  vector: number[];
}

describe('training/serving parity of credit_risk (real feature-service + model-server)', () => {
  let tmp: string;
  let featureService: ServiceProcess | undefined;
  let modelServer: ServiceProcess | undefined;
  let scoring: ScoringClient;
  let ingest: IngestSummary;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-parity-'));
    featureService = await startFeatureService(path.join(tmp, 'store.sqlite'));
    const run = await tally([...demoIngestArgs(DEMO_FILE, featureService.address), '--json']);
    if (run.code !== 0) throw new Error(`tally ingest exited ${run.code}: ${run.stderr}${run.stdout}`);
    ingest = JSON.parse(run.stdout) as IngestSummary;
    modelServer = await startModelServer(featureService.address);
    scoring = new ScoringClient(modelServer.address, { deadlinesMs: { Score: 10_000 } });
  }, 120_000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.stop();
    await featureService?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function scoreAll(version: string): Promise<RowResult[]> {
    const results: RowResult[] = [];
    for (let start = 0; start < REFERENCE.length; start += CONCURRENCY) {
      const chunk = REFERENCE.slice(start, start + CONCURRENCY);
      results.push(
        ...(await Promise.all(
          chunk.map(async (row) => {
            const res = await scoring.score({
              model: 'credit_risk',
              version,
              entityKeys: { applicant_id: int64(row.applicant_id) },
              context: {
                amount: double(row.context.amount),
                term: int64(row.context.term),
                int_rate: double(row.context.int_rate),
                sub_grade: { stringValue: row.context.sub_grade },
              },
              requestId: `parity-v${version}-${row.applicant_id}`,
              includeFeatures: true,
            });
            return {
              row,
              score: res.score,
              version: res.version,
              notPresent: res.featureIssues.map((i) => `${i.column}:${i.status}`),
              columns: res.columns,
              vector: res.featureValues,
            };
          }),
        )),
      );
    }
    return results;
  }

  it('loads every applicant of the demo file through tally ingest', () => {
    expect(ingest.rowsRejected).toBe(0);
    expect(ingest.rowsRead).toBeGreaterThan(0);
    expect(ingest.rowsWritten).toBe(ingest.rowsRead);
  });

  it('has reference rows for both versions', () => {
    expect(REFERENCE.length).toBeGreaterThan(0);
    for (const row of REFERENCE) expect(Object.keys(row.expected).sort()).toEqual(['1', '2']);
  });

  it.each(['1', '2'])(
    'version %s: every reference row scores as in training (max abs diff ≤ 1e-5)',
    async (version) => {
      const results = await scoreAll(version);
      expect(results).toHaveLength(REFERENCE.length);

      // The vector the model saw is the trainer's, value for value, with every feature present.
      const vectorMismatches = results.filter(
        (r) =>
          r.notPresent.length > 0 ||
          r.columns.join() !== r.row.columns.join() ||
          r.vector.some((v, i) => v !== r.row.vector[i]) ||
          r.vector.length !== r.row.vector.length,
      );

      const diffs = results.map((r) => ({
        applicant: r.row.applicant_id,
        served: r.score,
        expected: r.row.expected[version]!,
        diff: Math.abs(r.score - r.row.expected[version]!),
      }));
      const worst = diffs.reduce((a, b) => (b.diff > a.diff ? b : a));
      console.log(
        `parity credit_risk v${version}: ${results.length} reference rows, max |served - trained| = ` +
          `${worst.diff.toExponential(2)} (applicant ${worst.applicant}); ` +
          `${results.length - vectorMismatches.length}/${results.length} vectors identical to training's`,
      );

      expect(results.map((r) => r.version)).toEqual(results.map(() => version));
      expect(vectorMismatches.map((r) => r.row.applicant_id)).toEqual([]);
      expect(diffs.filter((d) => !(d.diff <= TOLERANCE))).toEqual([]);
    },
    120_000,
  );
});
