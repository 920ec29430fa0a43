/**
 * `tally score`, `models`, `features`, `status` and `ingest --key-from-row-number`, run as the built
 * command line against a real feature-service (temp SQLite store, the repository's registry) and a
 * real model-server (the demo credit_risk models). Needs `npx tsc -b` first.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureClient, ScoringClient, toValueMap } from '@tally/client';
import { freePort, repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { DEMO_DATA, demoIngestArgs, readDemoRows } from '../demo-data';
import type { IngestSummary } from './ingest';

const CLI = path.join(repoRoot(), 'packages/cli/dist/main.js');
const LOADED = 5; // the first rows of data/lending_club.csv are loaded; applicant 6 is not
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

describe('tally commands against a real feature-service and model-server', () => {
  let tmp: string;
  let featureService: ServiceProcess | undefined;
  let modelServer: ServiceProcess | undefined;
  let rows: Array<Record<string, unknown>>;
  let ingest: IngestSummary;
  let fs_: string; // feature-service address
  let ms: string; // model-server address

  /** Flags scoring `applicant` for $5000 over 36 months at the rate and sub-grade of data row `row`. */
  const offer = (applicant: number, row = applicant) => [
    '--applicant',
    String(applicant),
    '--amount',
    '5000',
    '--term',
    '36',
    '--int-rate',
    String(rows[row - 1]!.int_rate),
    '--sub-grade',
    String(rows[row - 1]!.sub_grade),
  ];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-'));
    const lines = fs.readFileSync(path.join(repoRoot(), 'data/lending_club.csv'), 'utf8').split('\n');
    const file = path.join(tmp, 'first-rows.csv');
    fs.writeFileSync(file, `${lines.slice(0, LOADED + 1).join('\n')}\n`);
    rows = await readDemoRows(file);
    featureService = await startService({
      script: path.join(repoRoot(), 'services/feature-service/dist/main.js'),
      env: { ...BASE_ENV, STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` },
      startTimeoutMs: 60000,
    });
    fs_ = featureService.address;
    const run = await tally([...demoIngestArgs(file, fs_), '--json']);
    if (run.code !== 0) throw new Error(`tally ingest exited ${run.code}: ${run.stderr}`);
    ingest = JSON.parse(run.stdout) as IngestSummary;
    modelServer = await startService({
      script: path.join(repoRoot(), 'services/model-server/dist/main.js'),
      env: {
        ...BASE_ENV,
        MODEL_REPOSITORY: path.join(repoRoot(), 'models'),
        FEATURE_SERVICE_ADDR: fs_,
        DECISION_LOG_DIR: path.join(tmp, 'decision-log'),
        DECISION_DATABASE_URL: `sqlite:${path.join(tmp, 'decisions.sqlite')}`,
      },
      startTimeoutMs: 60000,
    });
    ms = modelServer.address;
  }, 120_000);

  afterAll(async () => {
    await modelServer?.stop();
    await featureService?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('ingest --key-from-row-number --event-time now', () => {
    it('stores row n as applicant n, with the file values, and nothing for other ids', async () => {
      expect(ingest).toMatchObject({ rowsRead: LOADED, rowsWritten: LOADED, rowsRejected: 0 });
      const client = new FeatureClient(fs_);
      try {
        const res = await client.getFeatureVectors({
          featureSet: DEMO_DATA.featureSet,
          entities: Array.from({ length: LOADED + 1 }, (_, i) => ({
            keys: toValueMap({ applicant_id: i + 1 }),
          })),
          context: toValueMap(DEMO_DATA.probeContext),
        });
        const income = res.columns.indexOf('annual_inc');
        const revolUtil = res.columns.indexOf('revol_util');
        for (let i = 0; i < LOADED; i++) {
          const vector = res.vectors[i]!;
          expect(vector.values[income]).toBe(Math.fround(Number(rows[i]!.annual_inc)));
          expect(vector.values[revolUtil]).toBe(Math.fround(Number(rows[i]!.revol_util)));
          expect(vector.statuses[income]).toBe('FEATURE_STATUS_PRESENT');
          expect(vector.eventTimesUnixMs[income]).toBeGreaterThan(Date.now() - 120_000); // "now" at load
        }
        expect(res.vectors[LOADED]!.statuses[income]).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
      } finally {
        client.close();
      }
    });

    it("rejects a bad --event-time as a usage error naming 'now'", async () => {
      const run = await tally(
        [...demoIngestArgs(path.join(tmp, 'first-rows.csv'), fs_)].map((a) => (a === 'now' ? 'later' : a)),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--event-time: expected an ISO-8601 time or 'now', got 'later'");
    });
  });

  describe('score', () => {
    it('prints the probability, model version, request id and that every feature was present', async () => {
      const run = await tally(['score', '--model', 'credit_risk', ...offer(2), '--address', ms]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const probability = Number(/^probability\s+(\S+)$/m.exec(run.stdout)?.[1]);
      expect(probability).toBeGreaterThanOrEqual(0);
      expect(probability).toBeLessThanOrEqual(1);
      expect(run.stdout).toMatch(/^model\s+credit_risk version 2 \(feature set credit_risk\)$/m);
      expect(run.stdout).toMatch(/^request id\s+\S+$/m);
      expect(run.stdout).toMatch(/^features\s+all features present$/m);
      expect(run.stdout).toMatch(/^policy\s+met \(max_stored_not_present: 0; on_violation: refuse\)$/m);
    });

    it('prints the reasons that raised the score with --reasons, and their columns with --show-features', async () => {
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        '--version',
        '1',
        ...offer(2),
        '--reasons',
        '--address',
        ms,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^reasons\s+\d that raised the score most \(TreeSHAP, log-odds contributions from base -?\d/m,
      );
      const lines = run.stdout.split('\n').filter((l) => /^\s+R\d\d\s+\+\d\.\d{4}\s+\S/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(4);
      const json = await tally([
        'score',
        '--model',
        'credit_risk',
        ...offer(2),
        '--reasons',
        '--show-features',
        '--json',
        '--address',
        ms,
      ]);
      const printed = JSON.parse(json.stdout) as {
        reasons: Array<{ code: string; contribution: number; columns: string[] }>;
        explanation: { method: string };
        features: Array<{ column: string; contribution: number }>;
      };
      expect(printed.explanation.method).toBe('sampling_shapley');
      for (const reason of printed.reasons) {
        const sum = printed.features
          .filter((f) => reason.columns.includes(f.column))
          .reduce((a, f) => a + f.contribution, 0);
        expect(reason.contribution).toBeCloseTo(sum, 9);
      }
    });

    it('sends the same decision as a direct Score call (--json carries the exact score)', async () => {
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        ...offer(3),
        '--version',
        '1',
        '--json',
        '--address',
        ms,
      ]);
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as {
        score: number;
        version: string;
        featureIssues: unknown[];
        policyVerdict: string;
      };
      const client = new ScoringClient(ms);
      try {
        const direct = await client.score({
          model: 'credit_risk',
          version: '1',
          entityKeys: toValueMap({ applicant_id: 3 }),
          context: toValueMap({
            amount: 5000,
            term: 36,
            int_rate: Number(rows[2]!.int_rate),
            sub_grade: String(rows[2]!.sub_grade),
          }),
        });
        expect(printed.version).toBe('1');
        expect(printed.score).toBe(direct.score);
        expect(printed.featureIssues).toEqual([]);
        expect(printed.policyVerdict).toBe('POLICY_VERDICT_MET');
      } finally {
        client.close();
      }
    });

    it('an applicant the store does not hold is refused by the decision policy, exit 3 naming the features', async () => {
      const run = await tally(['score', '--model', 'credit_risk', ...offer(LOADED + 1, 1), '--address', ms]);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^tally: refused: the decision policy of model credit_risk refuses to decide on this vector \(max_stored_not_present: 0; on_violation: refuse\): 17 stored features not present \(at most 0 allowed\): annual_inc \(MISSING_DEFAULTED\), .*\n$/,
      );
    });

    it('an unknown model is one line naming it, exit 1', async () => {
      const run = await tally(['score', '--model', 'credit_rsk', ...offer(1), '--address', ms]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^tally: model not found: 'credit_rsk'.*\n$/);
    });

    it("scores the issue's example command (a stored applicant), reporting the optional context it defaulted", async () => {
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        '--applicant',
        '3',
        '--amount',
        '5000',
        '--term',
        '36',
        '--address',
        ms,
      ]);
      expect(run.code).toBe(0);
      const probability = Number(/^probability\s+([0-9.]+)$/m.exec(run.stdout)?.[1]);
      expect(probability).toBeGreaterThan(0);
      expect(probability).toBeLessThan(1);
      expect(run.stdout).toMatch(/MISSING_DEFAULTED: .*int_rate/);
      expect(run.stdout).toMatch(/MISSING_DEFAULTED: .*sub_grade/);
    });

    it('a context field the feature set requires but was not given: one line naming its flag, exit 2', async () => {
      const run = await tally([
        'score',
        '--model',
        'credit_risk',
        '--applicant',
        '1',
        '--amount',
        '5000',
        '--address',
        ms,
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        "tally: context 'term' is required by feature set 'credit_risk': give it with --term\n",
      );
    });

    it('a sub-grade outside the declared levels is one line naming the field, exit 1', async () => {
      const args = offer(1);
      args[args.indexOf('--sub-grade') + 1] = 'Z9';
      const run = await tally(['score', '--model', 'credit_risk', ...args, '--address', ms]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^tally: .*context\.sub_grade: 'Z9' is not a declared level[^\n]*\n$/);
    });

    it.each([
      [['--applicant', '1'], '--model is required'],
      [['--model', 'credit_risk'], 'give --applicant ID'],
      [
        ['--model', 'credit_risk', '--applicant', 'seventeen'],
        "--applicant: expected an integer, got 'seventeen'",
      ],
      [
        ['--model', 'credit_risk', '--applicant', '1', '--amount', '5k'],
        "--amount: expected a number, got '5k'",
      ],
      [['--model', 'credit_risk', '--applicant', '1', '--amount', '1', '--context', 'amount=2'], 'not both'],
      [['--model', 'credit_risk', '--applicant', '1', '--colour', 'red'], "Unknown option '--colour'"],
    ])('usage error %j: exit 2, says what is wrong', async (args, message) => {
      const run = await tally(['score', ...args, '--address', ms]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toMatch(/^tally score: [^\n]+ \(see 'tally score --help'\)\n$/); // one line
    });

    it('a model-server that is not running: one line saying where it looked, exit 1', async () => {
      const nowhere = `127.0.0.1:${await freePort()}`;
      const run = await tally(['score', '--model', 'credit_risk', ...offer(1), '--address', nowhere]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `tally: cannot reach the model-server at ${nowhere} (is it running? 'pnpm start' starts both services)\n`,
      );
    });
  });

  describe('models', () => {
    it('shows every version with its state, as ListModels reports them', async () => {
      const run = await tally(['models', '--address', ms]);
      expect(run.code).toBe(0);
      const client = new ScoringClient(ms);
      try {
        const { models } = await client.listModels();
        const versions = models.flatMap((m) => m.versions.map((v) => ({ name: m.name, ...v })));
        expect(versions.length).toBeGreaterThan(0);
        for (const v of versions) {
          const state = v.state.replace('MODEL_VERSION_STATE_', '');
          expect(run.stdout).toMatch(
            new RegExp(`^${v.name}\\s+${v.version}\\s+${state}\\s+credit_risk\\s+PASSED\\s`, 'm'),
          );
        }
        expect(run.stdout).toMatch(
          /^credit_risk decision policy: max_stored_not_present: 0; on_violation: refuse$/m,
        );
        expect(JSON.parse((await tally(['models', '--json', '--address', ms])).stdout)).toEqual({ models });
      } finally {
        client.close();
      }
    });
  });

  describe('features', () => {
    it('describe shows each feature in vector order with its source, type and columns', async () => {
      const run = await tally(['features', 'describe', 'credit_risk', '--address', fs_]);
      expect(run.code).toBe(0);
      const client = new FeatureClient(fs_);
      try {
        const { featureSet } = await client.describeFeatureSet('credit_risk');
        expect(run.stdout).toContain(`width        ${featureSet!.columns.length} columns`);
        let position = 0;
        featureSet!.features.forEach((spec, i) => {
          const source = spec.source === 'FEATURE_SOURCE_STORED' ? `stored (${spec.view})` : undefined;
          const line = new RegExp(`^${i + 1}\\s+${spec.name}\\s+([^\\n]+)$`, 'm').exec(run.stdout);
          expect(line).not.toBeNull();
          if (source) expect(line![1]).toContain(source);
          const index =
            spec.columns.length === 1 ? `${position}` : `${position}-${position + spec.columns.length - 1}`;
          expect(line![1]!.trimEnd().endsWith(` ${index}`)).toBe(true);
          position += spec.columns.length;
        });
        for (const field of featureSet!.contextFields) {
          expect(run.stdout).toMatch(
            new RegExp(`^${field.name}\\s+\\S+\\s+${field.required ? 'yes' : 'no'}\\s`, 'm'),
          );
        }
      } finally {
        client.close();
      }
    });

    it('list shows every feature set with its width', async () => {
      const run = await tally(['features', 'list', '--json', '--address', fs_]);
      expect(run.code).toBe(0);
      const { featureSets } = JSON.parse(run.stdout) as {
        featureSets: Array<{ name: string; width: number }>;
      };
      expect(featureSets.map((s) => s.name)).toContain('credit_risk');
      const text = await tally(['features', 'list', '--address', fs_]);
      for (const s of featureSets)
        expect(text.stdout).toMatch(new RegExp(`^${s.name}\\s+${s.width}\\s`, 'm'));
    });

    it('an unknown feature set is one line naming it, exit 1; a missing name is a usage error', async () => {
      const unknown = await tally(['features', 'describe', 'credit_rsk', '--address', fs_]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^tally: feature set not found: 'credit_rsk'[^\n]*\n$/);
      const usage = await tally(['features', 'describe', '--address', fs_]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('describe: give a feature set name');
    });
  });

  describe('status', () => {
    it('exits 0 when both services are SERVING, 1 naming the one that is unreachable', async () => {
      const up = await tally(['status', '--feature-service', fs_, '--model-server', ms, '--json']);
      expect(up.code).toBe(0);
      expect(JSON.parse(up.stdout)).toEqual({
        services: [
          { service: 'feature-service', address: fs_, status: 'SERVING' },
          { service: 'model-server', address: ms, status: 'SERVING' },
        ],
      });
      const nowhere = `127.0.0.1:${await freePort()}`;
      const down = await tally(['status', '--feature-service', fs_, '--model-server', nowhere]);
      expect(down.code).toBe(1);
      expect(down.stdout).toMatch(
        new RegExp(`^model-server\\s+${nowhere.replace(/\./g, '\\.')}\\s+UNREACHABLE$`, 'm'),
      );
    });
  });
});
