import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import type { IngestSummary } from './ingest';

const CLI = path.join(repoRoot(), 'packages/cli/dist/main.js');
const DATA = path.join(repoRoot(), 'features/test/data');

function tally(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('tally ingest against a real feature-service (SQLite)', () => {
  let service: ServiceProcess;
  let tmp: string;
  let client: ReturnType<typeof createFeatureServiceClient>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ingest-'));
    // The fixture rows carry fixed (past) event times: serve them without a max age, so reads show them.
    const registry = path.join(tmp, 'registry');
    fs.mkdirSync(registry);
    const source = path.join(repoRoot(), 'features/test/registry');
    for (const file of fs.readdirSync(source)) {
      const text = fs.readFileSync(path.join(source, file), 'utf8').replace(/max_age: \w+/g, 'max_age: 0');
      fs.writeFileSync(path.join(registry, file), text);
    }
    service = await startService({
      script: path.join(repoRoot(), 'services/feature-service/dist/main.js'),
      env: {
        REGISTRY_PATH: registry,
        STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}`,
        GRPC_PORT: '0',
        METRICS_PORT: '0',
      },
    });
    client = createFeatureServiceClient(service.address);
  }, 30000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The stored state of applicants 1..9, as the service serves it (values, statuses, event times). */
  function snapshot(): Promise<feature.GetFeatureVectorsResponse__Output> {
    const entities = Array.from({ length: 9 }, (_, i) => ({ keys: { applicant_id: { int64Value: i + 1 } } }));
    return new Promise((resolve, reject) =>
      client.GetFeatureVectors(
        { featureSet: 'profile_only', entities },
        { deadline: Date.now() + 5000 },
        (err: ServiceError | null, res?: feature.GetFeatureVectorsResponse__Output) =>
          err ? reject(err) : resolve(res!),
      ),
    );
  }

  const csvArgs = () => [
    'ingest',
    '--view',
    'applicant_profile',
    '--file',
    path.join(DATA, 'applicant_profile.csv'),
    '--key',
    'applicant_id',
    '--event-time-column',
    'updated_at',
    '--ignore-columns',
    'label',
    '--address',
    service.address,
    '--batch',
    '3',
    '--json',
  ];

  it('writes the good rows of a CSV, reports each bad row with its line and reason', async () => {
    const run = await tally(csvArgs());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3); // some rows rejected
    const summary = JSON.parse(run.stdout) as IngestSummary;
    expect(summary).toMatchObject({ rowsRead: 7, rowsWritten: 3, rowsIgnoredOlder: 1, rowsRejected: 3 });
    expect(summary.rejected.map((r) => r.line).sort()).toEqual([4, 5, 8]);
    const reason = (line: number) => summary.rejected.find((r) => r.line === line)!.reason;
    expect(reason(4)).toMatch(/^values\.annual_inc: expected a double/);
    expect(reason(5)).toMatch(/^values\.grade: 'Z' is not a declared level/);
    expect(reason(8)).toMatch(/event time 'yesterday'/);

    const state = await snapshot();
    const [one, two, three, four, five] = state.vectors;
    expect(one!.values[0]).toBeCloseTo(52000.5, 1); // the newer of the two rows of applicant 1
    expect(one!.eventTimesUnixMs[0]).toBe(Date.parse('2026-01-10T00:00:00Z'));
    expect(two!.values[0]).toBe(31000);
    expect(three!.statuses[0]).toBe('FEATURE_STATUS_MISSING_DEFAULTED'); // rejected: nothing stored
    expect(four!.statuses[0]).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
    expect(five!.statuses[0]).toBe('FEATURE_STATUS_MISSING_DEFAULTED'); // empty cell → null → default
    expect(five!.statuses[1]).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
  });

  it('running it twice on the same file leaves the same state', async () => {
    const before = await snapshot();
    const run = await tally(csvArgs());
    const summary = JSON.parse(run.stdout) as IngestSummary;
    expect(summary).toMatchObject({ rowsRead: 7, rowsWritten: 0, rowsIgnoredOlder: 4, rowsRejected: 3 });
    expect(await snapshot()).toEqual(before);
  });

  it('reads JSONL too, with JSON types, epoch-ms or ISO event times', async () => {
    const run = await tally([
      'ingest',
      '--view',
      'applicant_profile',
      '--file',
      path.join(DATA, 'applicant_profile.jsonl'),
      '--key',
      'applicant_id',
      '--event-time-column',
      'updated_at',
      '--address',
      service.address,
      '--json',
    ]);
    const summary = JSON.parse(run.stdout) as IngestSummary;
    expect(summary).toMatchObject({ rowsRead: 4, rowsWritten: 2, rowsRejected: 2 });
    expect(summary.rejected).toEqual([
      { line: 2, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 3, reason: expect.stringMatching(/^values\.open_accounts: expected an integer/) },
    ]);
    const state = await snapshot();
    expect(state.vectors[6]!.values[0]).toBe(70000);
    expect(state.vectors[6]!.eventTimesUnixMs[0]).toBe(1767225600000);
    expect(state.vectors[8]!.statuses[0]).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
  });

  it('a usage error exits 2 and says what is wrong; an unknown view exits 1 naming it', async () => {
    const usage = await tally(['ingest', '--view', 'applicant_profile']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--file is required');
    const unknown = await tally([
      'ingest',
      '--view',
      'no_such_view',
      '--file',
      path.join(DATA, 'applicant_profile.csv'),
      '--key',
      'applicant_id',
      '--event-time',
      '2026-01-01T00:00:00Z',
      '--address',
      service.address,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("feature view not found: 'no_such_view'");
  });
});
