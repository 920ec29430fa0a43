import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { demoEvents, writeDemoEvents } from '../demo-events';
import type { EventsIngestSummary } from './events';

const CLI = path.join(repoRoot(), 'packages/cli/dist/main.js');

function tally(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Column {
  column: string;
  value: number;
  status: string;
  eventTimeUnixMs: number;
}

/** The demo registry (credit_risk_rt over purchase_attempts) on a scratch SQLite store. */
describe('tally events and tally features get against a real feature-service', () => {
  let service: ServiceProcess;
  let tmp: string;
  let address: string;
  const nowMs = Date.now();
  const applicants = 20;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-events-cli-'));
    service = await startService({
      script: path.join(repoRoot(), 'services/feature-service/dist/main.js'),
      env: {
        REGISTRY_PATH: path.join(repoRoot(), 'features'),
        STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}`,
        GRPC_PORT: '0',
        METRICS_PORT: '0',
      },
    });
    address = service.address;
  }, 30000);

  afterAll(async () => {
    await service?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function velocity(applicant: number): Promise<Record<string, Column>> {
    const res = await tally([
      'features',
      'get',
      '--feature-set',
      'credit_risk_rt',
      '--applicant',
      String(applicant),
      '--context',
      'amount=5000',
      '--context',
      'term=36',
      '--columns',
      'purchase_count_1h,purchase_count_30d,purchase_amount_sum_7d,purchase_amount_max_30d,declined_count_30d',
      '--address',
      address,
      '--json',
    ]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const parsed = JSON.parse(res.stdout) as { columns: Column[] };
    return Object.fromEntries(parsed.columns.map((c) => [c.column, c]));
  }

  it('loads the synthetic history once (a second load is all duplicates) and serves what it implies', async () => {
    const file = path.join(tmp, 'history.jsonl');
    const count = writeDemoEvents(file, { applicants, nowMs });
    const args = ['events', 'ingest', file, '--source', 'purchase_attempts', '--address', address, '--json'];
    const first = await tally(args);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout) as EventsIngestSummary).toMatchObject({
      eventsRead: count,
      eventsWritten: count,
      eventsDuplicate: 0,
      eventsRejected: 0,
    });
    const second = await tally(args);
    expect(JSON.parse(second.stdout) as EventsIngestSummary).toMatchObject({
      eventsWritten: 0,
      eventsDuplicate: count,
    });

    // Hand-computed from the file: every event lies in the last 29 days, so all are in the 30d windows.
    const events = [...demoEvents({ applicants, nowMs })];
    for (const applicant of [1, 7, 17]) {
      const own = events.filter((e) => e.applicant_id === applicant);
      const served = await velocity(applicant);
      expect(served.purchase_count_30d!.value).toBe(own.length);
      expect(served.declined_count_30d!.value).toBe(own.filter((e) => e.decision === 'declined').length);
      const max = own.length === 0 ? 0 : Math.max(...own.map((e) => e.amount));
      expect(served.purchase_amount_max_30d!.value).toBeCloseTo(max, 2);
    }
  }, 60000);

  it('shows purchase_count_1h and the 7d sum change when one more event is sent', async () => {
    const before = await velocity(17);
    const sent = await tally([
      'events',
      'send',
      '--source',
      'purchase_attempts',
      '--key',
      'applicant_id=17',
      '--field',
      'amount=250.5',
      '--field',
      'merchant_id=m07',
      '--field',
      'decision=declined',
      '--event-id',
      'cli-test-1',
      '--address',
      address,
    ]);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(/^purchase_attempts: event cli-test-1 at .* written\n$/);
    const after = await velocity(17);
    expect(after.purchase_count_1h!.value).toBe(before.purchase_count_1h!.value + 1);
    expect(after.declined_count_30d!.value).toBe(before.declined_count_30d!.value + 1);
    expect(after.purchase_amount_sum_7d!.value).toBeCloseTo(before.purchase_amount_sum_7d!.value + 250.5, 2);

    // The same id again is a duplicate and changes nothing.
    const again = await tally([
      'events',
      'send',
      '--source',
      'purchase_attempts',
      '--key',
      'applicant_id=17',
      '--field',
      'amount=250.5',
      '--event-id',
      'cli-test-1',
      '--address',
      address,
    ]);
    expect(again.stdout).toMatch(/already stored \(duplicate\)/);
    expect((await velocity(17)).purchase_count_1h!.value).toBe(after.purchase_count_1h!.value);
  }, 60000);

  it('reports bad records by line and reason and writes the others (CSV)', async () => {
    const file = path.join(tmp, 'bad.csv');
    const t = nowMs - 60_000;
    fs.writeFileSync(
      file,
      [
        'event_id,event_time,applicant_id,amount,merchant_id,decision',
        `csv-1,${t},3,10.5,m01,approved`,
        `csv-2,${t},3,lots,m01,approved`,
        `csv-3,${new Date(t).toISOString()},3,20,m02,maybe`,
        `csv-4,,3,20,m02,approved`,
        `csv-5,${t},3,30,m03,declined`,
      ].join('\n') + '\n',
    );
    const res = await tally([
      'events',
      'ingest',
      file,
      '--source',
      'purchase_attempts',
      '--address',
      address,
    ]);
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('5 events read, 2 written, 0 duplicates (already stored), 3 rejected');
    expect(res.stdout).toMatch(/line 3: fields\.amount: .*'lots'/);
    expect(res.stdout).toMatch(/line 4: fields\.decision: .*maybe/);
    expect(res.stdout).toMatch(/line 5: column 'event_time' is empty or absent/);
  }, 60000);

  it('says what is wrong with the command line, an unknown source, and an unreachable service', async () => {
    expect((await tally(['events', 'ingest', '--source', 'purchase_attempts'])).code).toBe(2);
    const unknown = await tally([
      'events',
      'send',
      '--source',
      'nope',
      '--key',
      'applicant_id=1',
      '--address',
      address,
    ]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/refused the event: source/);
    const down = await tally([
      'events',
      'send',
      '--source',
      'purchase_attempts',
      '--key',
      'applicant_id=1',
      '--address',
      '127.0.0.1:1',
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/feature-service/);
  }, 60000);
});
