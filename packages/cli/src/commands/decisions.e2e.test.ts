/**
 * `tally decisions get|list`, run as the built command line against a real feature-service (temp
 * SQLite store) and a real model-server whose decision log ships to a temp SQLite file. Needs
 * `npx tsc -b` first.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { demoIngestArgs } from '../demo-data';

const CLI = path.join(repoRoot(), 'packages/cli/dist/main.js');
const BASE_ENV = {
  GRPC_HOST: '127.0.0.1',
  GRPC_PORT: '0',
  METRICS_PORT: '0',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
};

function tally(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('tally decisions', () => {
  let tmp: string;
  let featureService: ServiceProcess | undefined;
  let modelServer: ServiceProcess | undefined;
  let ms: string;
  const offer = ['--amount', '5000', '--term', '36', '--int-rate', '13.99', '--sub-grade', 'C1'];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-decisions-'));
    const lines = fs.readFileSync(path.join(repoRoot(), 'data/lending_club.csv'), 'utf8').split('\n');
    const file = path.join(tmp, 'rows.csv');
    fs.writeFileSync(file, `${lines.slice(0, 4).join('\n')}\n`);
    featureService = await startService({
      script: path.join(repoRoot(), 'services/feature-service/dist/main.js'),
      env: { ...BASE_ENV, STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` },
      startTimeoutMs: 60000,
    });
    const run = await tally([...demoIngestArgs(file, featureService.address), '--json']);
    if (run.code !== 0) throw new Error(`tally ingest exited ${run.code}: ${run.stderr}`);
    modelServer = await startService({
      script: path.join(repoRoot(), 'services/model-server/dist/main.js'),
      env: {
        ...BASE_ENV,
        MODEL_REPOSITORY: path.join(repoRoot(), 'models'),
        FEATURE_SERVICE_ADDR: featureService.address,
        DECISION_LOG_DIR: path.join(tmp, 'decision-log'),
        DECISION_DATABASE_URL: `sqlite:${path.join(tmp, 'decisions.sqlite')}`,
        DECISION_SHIP_INTERVAL_MS: '20',
      },
      startTimeoutMs: 60000,
    });
    ms = modelServer.address;
  }, 120_000);

  afterAll(async () => {
    await modelServer?.stop();
    await featureService?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** `tally decisions get` until the record has been shipped (NOT_FOUND until then). */
  async function getShipped(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    for (let i = 0; ; i += 1) {
      const run = await tally(['decisions', 'get', ...args, '--address', ms]);
      if (run.code === 0 || i > 50 || !run.stderr.includes('not found')) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('prints the whole record of a decision tally score made, by its request id', async () => {
    const scored = await tally([
      'score',
      '--model',
      'credit_risk',
      '--applicant',
      '2',
      ...offer,
      '--address',
      ms,
      '--json',
    ]);
    expect(scored.code).toBe(0);
    const response = JSON.parse(scored.stdout) as { requestId: string; score: number; version: string };
    const text = await getShipped([response.requestId]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`request id   ${response.requestId} (served)`);
    expect(text.stdout).toContain(`model        credit_risk version ${response.version}`);
    expect(text.stdout).toContain(`score        ${response.score.toFixed(6)}`);
    expect(text.stdout).toContain('entity       applicant_id=2');
    expect(text.stdout).toMatch(/^annual_inc\s+\S+\s+PRESENT\s+\d{4}-\d\d-\d\dT/m);
    const json = await getShipped([response.requestId, '--json']);
    const { decisions } = JSON.parse(json.stdout) as { decisions: Array<Record<string, unknown>> };
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.score).toBe(response.score);
    expect(decisions[0]!.columns).toHaveLength(29);
  });

  it('lists the decisions of one applicant in a time range', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = `cli-list-${i}`;
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        '--applicant',
        '3',
        ...offer,
        '--request-id',
        id,
        '--address',
        ms,
      ]);
      expect(run.code).toBe(0);
      ids.push(id);
    }
    await getShipped([ids[2]!]);
    const listed = await tally(['decisions', 'list', '--applicant', '3', '--since', '1h', '--address', ms]);
    expect(listed.code).toBe(0);
    for (const id of ids) expect(listed.stdout).toMatch(new RegExp(`\\s${id}\\s+served\\s+credit_risk`));
    const none = await tally([
      'decisions',
      'list',
      '--applicant',
      '3',
      '--since',
      '2020-01-01',
      '--until',
      '2020-01-02',
      '--address',
      ms,
    ]);
    expect(none.stdout).toBe('(no decisions in this range)\n');
  });

  it('compares the served scores with the training distribution (PSI)', async () => {
    for (let i = 0; i < 4; i += 1) {
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        '--applicant',
        String(1 + (i % 3)),
        ...offer,
        '--version',
        '2',
        '--request-id',
        `cli-psi-${i}`,
        '--address',
        ms,
      ]);
      expect(run.code).toBe(0);
    }
    await getShipped(['cli-psi-3']);
    const baseline = path.join(repoRoot(), 'training/reference/credit_risk.jsonl');
    const args = [
      'decisions',
      'psi',
      '--model',
      'credit_risk',
      '--version',
      '2',
      '--baseline',
      baseline,
      '--since',
      '1h',
      '--address',
      ms,
    ];
    const text = await tally(args);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^PSI {10}\d+\.\d{4} \((stable|moderate|major)/);
    expect(text.stdout).toMatch(/baseline .*\(202 scores\)/);
    const json = JSON.parse((await tally([...args, '--json'])).stdout) as {
      psi: number;
      decisions: number;
      expected: number[];
    };
    expect(json.decisions).toBeGreaterThanOrEqual(4);
    expect(json.expected).toHaveLength(10);
    expect(Number.isFinite(json.psi)).toBe(true);
    const none = await tally([
      ...args.slice(0, 8),
      '--since',
      '2020-01-01',
      '--until',
      '2020-01-02',
      '--address',
      ms,
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no decisions of credit_risk version 2 between/);
  });

  it('says what is wrong: unknown request id (exit 1), bad time range or flags (exit 2)', async () => {
    const missing = await tally(['decisions', 'get', 'no-such-id', '--address', ms]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/decision not found: 'no-such-id'/);
    const reversed = await tally([
      'decisions',
      'list',
      '--applicant',
      '3',
      '--since',
      '1h',
      '--until',
      '2h',
      '--address',
      ms,
    ]);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/--until .* must be after --since/);
    const badTime = await tally(['decisions', 'list', '--applicant', '3', '--since', 'yesterday']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--since: 'yesterday' is not a time/);
    const noSub = await tally(['decisions']);
    expect(noSub.code).toBe(2);
  });
});
