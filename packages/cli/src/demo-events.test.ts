import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_EVENTS, demoEvents, writeDemoEvents } from './demo-events';

const NOW = Date.parse('2026-12-06T10:00:00Z');

describe('the synthetic demo purchase history', () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-demo-events-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is the same file for the same seed, applicants and now, and another for another seed', () => {
    const a = path.join(tmp, 'a.jsonl');
    const b = path.join(tmp, 'b.jsonl');
    const c = path.join(tmp, 'c.jsonl');
    writeDemoEvents(a, { applicants: 200, nowMs: NOW });
    writeDemoEvents(b, { applicants: 200, nowMs: NOW });
    writeDemoEvents(c, { applicants: 200, nowMs: NOW, seed: 12 });
    expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(b, 'utf8'));
    expect(fs.readFileSync(a, 'utf8')).not.toBe(fs.readFileSync(c, 'utf8'));
  });

  it('says it is synthetic in its header and writes one event per line', () => {
    const file = path.join(tmp, 'h.jsonl');
    const count = writeDemoEvents(file, { applicants: 50, nowMs: NOW });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^# SYNTHETIC purchase attempts/);
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(count);
  });

  it('follows the documented process: times in the history, valid fields, unique ids, rates near the targets', () => {
    const applicants = 2000;
    const events = [...demoEvents({ applicants, nowMs: NOW })];
    const start = NOW - DEMO_EVENTS.historyDays * 86_400_000;
    const bad = events.filter(
      (e) =>
        !(e.event_time > start && e.event_time <= NOW) ||
        !(e.applicant_id >= 1 && e.applicant_id <= applicants) ||
        !(e.amount > 0) ||
        !/^m(0[1-9]|[1-3]\d|40)$/.test(e.merchant_id) ||
        !['approved', 'declined'].includes(e.decision),
    );
    expect(bad).toEqual([]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    // Poisson: mean count per applicant = rate × days (2.9); with 2000 applicants the mean is within ±0.2.
    const perApplicant = events.length / applicants;
    expect(Math.abs(perApplicant - DEMO_EVENTS.ratePerDay * DEMO_EVENTS.historyDays)).toBeLessThan(0.2);
    const declined = events.filter((e) => e.decision === 'declined').length / events.length;
    expect(Math.abs(declined - DEMO_EVENTS.declineRate)).toBeLessThan(0.03);
    const amounts = events.map((e) => e.amount).sort((x, y) => x - y);
    const median = amounts[Math.floor(amounts.length / 2)]!;
    expect(median).toBeGreaterThan(DEMO_EVENTS.medianAmount * 0.85);
    expect(median).toBeLessThan(DEMO_EVENTS.medianAmount * 1.15);
  });
});
