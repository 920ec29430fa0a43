import fs from 'node:fs';

/**
 * The demo's SYNTHETIC purchase history (docs/demo-events.md): the Lending Club data has no events,
 * so `pnpm start` makes one with this seeded random process. It is deliberately simple and knows
 * nothing of the applicants' data or labels:
 * - arrivals: a Poisson process per applicant, RATE_PER_DAY attempts a day, over the HISTORY_DAYS
 *   before `nowMs` (exponential gaps, drawn backwards from now);
 * - amount: log-normal, median $60 (exp(ln 60 + 0.9·Z)), rounded to cents;
 * - merchant_id: one of m01 … m40, uniformly;
 * - decision: declined with probability DECLINE_RATE, else approved.
 * Same seed, applicants and `nowMs` → the same file, byte for byte.
 */
export const DEMO_EVENTS = {
  source: 'purchase_attempts',
  featureSet: 'credit_risk_rt',
  seed: 11,
  ratePerDay: 0.1,
  historyDays: 29,
  medianAmount: 60,
  amountSigma: 0.9,
  merchants: 40,
  declineRate: 0.12,
} as const;

export interface DemoEventsOptions {
  applicants: number;
  nowMs: number;
  seed?: number;
}

export interface DemoEvent {
  event_id: string;
  event_time: number;
  applicant_id: number;
  amount: number;
  merchant_id: string;
  decision: 'approved' | 'declined';
}

/** mulberry32: a small, well-known 32-bit seeded generator; uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The synthetic events, applicant by applicant, oldest first. */
export function* demoEvents(options: DemoEventsOptions): Generator<DemoEvent> {
  const seed = options.seed ?? DEMO_EVENTS.seed;
  const random = seededRandom(seed);
  const dayMs = 86_400_000;
  const startMs = options.nowMs - DEMO_EVENTS.historyDays * dayMs;
  const gaussian = () => {
    const u = 1 - random(); // (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  for (let applicant = 1; applicant <= options.applicants; applicant += 1) {
    const times: number[] = [];
    let t = options.nowMs;
    for (;;) {
      t -= Math.round((-Math.log(1 - random()) / DEMO_EVENTS.ratePerDay) * dayMs);
      if (t <= startMs) break;
      times.push(t);
    }
    times.reverse();
    for (let n = 0; n < times.length; n += 1) {
      const amount = Math.exp(Math.log(DEMO_EVENTS.medianAmount) + DEMO_EVENTS.amountSigma * gaussian());
      const merchant = 1 + Math.floor(random() * DEMO_EVENTS.merchants);
      const declined = random() < DEMO_EVENTS.declineRate;
      yield {
        event_id: `synthetic-${seed}-${options.nowMs}-${applicant}-${n + 1}`,
        event_time: times[n]!,
        applicant_id: applicant,
        amount: Math.round(amount * 100) / 100,
        merchant_id: `m${String(merchant).padStart(2, '0')}`,
        decision: declined ? 'declined' : 'approved',
      };
    }
  }
}

/** Writes the synthetic history as JSONL with a '#' header saying what it is; returns the event count. */
export function writeDemoEvents(file: string, options: DemoEventsOptions): number {
  const seed = options.seed ?? DEMO_EVENTS.seed;
  const lines = [
    `# SYNTHETIC purchase attempts for the Tally demo (not real data): seed ${seed}, ${options.applicants} applicants,`,
    `# now = ${new Date(options.nowMs).toISOString()}; Poisson ${DEMO_EVENTS.ratePerDay}/day over ${DEMO_EVENTS.historyDays} days,`,
    `# log-normal amounts (median $${DEMO_EVENTS.medianAmount}), ${DEMO_EVENTS.declineRate * 100}% declined. See docs/demo-events.md.`,
  ];
  let count = 0;
  for (const event of demoEvents(options)) {
    lines.push(JSON.stringify(event));
    count += 1;
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return count;
}
