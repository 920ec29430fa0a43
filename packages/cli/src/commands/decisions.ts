import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DecisionLogClient, fromValueMap, toValueMap } from '@tally/client';
import type { PlainValue } from '@tally/client';
import type { model } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { parseAssignments, parseNumberFlag } from '../command-values';
import { textTable } from '../text-table';
import { populationStability } from '../psi';
import { parseTimeFlag } from '../time-flag';
import { UsageError } from '../usage-error';
import { DEFAULT_MODEL_SERVER } from './score';

export const DECISIONS_USAGE = `tally decisions get REQUEST_ID [--json] [--address HOST:PORT]
tally decisions list (--applicant ID | --key NAME=VALUE …) [--since TIME] [--until TIME] [--limit N]
                     [--json] [--address HOST:PORT]
tally decisions psi --model NAME --version V --baseline FILE [--since TIME] [--until TIME] [--bins N]
                    [--json] [--address HOST:PORT]

Reads the model-server's decision log (tally.model.v1.DecisionLog): every decision Score answered,
with the model version, the whole feature vector (values, statuses, event times) and the score.

  get      the decision(s) recorded under one request id (the one 'tally score' prints): the
           answered one and, when a challenger scored beside it, the challenger's
  list     the decisions for one entity in a time range, oldest first
  psi      the population stability index of the scores a model version answered in a time range
           against a baseline (the training distribution): below 0.1 stable, 0.1 to 0.25 a
           moderate shift, above 0.25 a major one (docs/decision-log.md, "Score monitoring")

  --applicant  the applicant's id (the join key applicant_id)
  --key        any entity join key, NAME=VALUE (repeatable; give all of the entity's keys)
  --since      start of the range (default 24h): an ISO date or date-time, or a duration ago (30m, 24h, 7d)
  --until      end of the range, excluded (default now)
  --limit      most decisions listed, 1 to 1000 (default 100)
  --baseline   JSONL, one score per line as {"score": S}, or reference rows with {"expected": {"V": S}}
               such as training/reference/credit_risk.jsonl
  --bins       quantile bins of the baseline (default 10)
  --address    model-server address (default ${DEFAULT_MODEL_SERVER})
  --json       print the response as JSON

Exit status: 0 found, 1 failure (unknown request id, service unreachable, …), 2 usage error.`;

function plain(values: Record<string, PlainValue | unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** One decision as text: the summary, then the vector it was scored on. */
export function decisionText(d: model.Decision__Output): string {
  const timing = d.response?.timing;
  const issues = d.response?.featureIssues ?? [];
  const lines = [
    `request id   ${d.requestId} (${d.role})`,
    `decided at   ${isoTime(d.decidedAtUnixMs)}`,
    `model        ${d.model} version ${d.version} (feature set ${d.featureSet}, fingerprint ${d.featureSetFingerprint})`,
    `score        ${d.score.toFixed(6)}`,
    `entity       ${plain(fromValueMap(d.entityKeys))}`,
    `context      ${plain(fromValueMap(d.context)) || '(none)'}`,
    `features     ${issues.length === 0 ? 'all features present' : `${issues.length} not present: ${issues.map((i) => i.column).join(', ')}`}`,
  ];
  if (timing) {
    lines.push(
      `time         ${(timing.totalUs / 1000).toFixed(2)} ms in the model-server (features ${(timing.featuresUs / 1000).toFixed(2)} ms, queue ${(timing.queueUs / 1000).toFixed(2)} ms, compute ${(timing.computeUs / 1000).toFixed(2)} ms)`,
    );
  }
  lines.push(`caller       ${d.caller || '(unknown)'}`, `trace id     ${d.traceId || '(none)'}`, '');
  lines.push(
    textTable(
      ['COLUMN', 'VALUE', 'STATUS', 'EVENT TIME'],
      d.columns.map((c, i) => [
        c,
        String(d.featureValues[i]),
        (d.featureStatuses[i] ?? '').replace(/^FEATURE_STATUS_/, ''),
        d.featureEventTimesUnixMs[i] ? isoTime(d.featureEventTimesUnixMs[i]!) : '-',
      ]),
    ),
  );
  return lines.join('\n');
}

export function decisionsTable(decisions: readonly model.Decision__Output[]): string {
  if (decisions.length === 0) return '(no decisions in this range)';
  return textTable(
    ['DECIDED AT', 'REQUEST ID', 'ROLE', 'MODEL', 'VERSION', 'SCORE', 'NOT PRESENT'],
    decisions.map((d) => [
      isoTime(d.decidedAtUnixMs),
      d.requestId,
      d.role,
      d.model,
      d.version,
      d.score.toFixed(6),
      String(d.response?.featureIssues.length ?? 0),
    ]),
  );
}

async function withClient<T>(address: string, work: (client: DecisionLogClient) => Promise<T>): Promise<T> {
  const client = new DecisionLogClient(address);
  try {
    return await work(client);
  } catch (err) {
    throw new CommandFailure(describeCallFailure(err, { service: 'model-server', address }));
  } finally {
    client.close();
  }
}

async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      address: { type: 'string', default: DEFAULT_MODEL_SERVER },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one REQUEST_ID');
  const { decisions } = await withClient(values.address!, (c) =>
    c.getDecision({ requestId: positionals[0]! }, { deadlineMs: 10000 }),
  );
  process.stdout.write(
    `${values.json ? JSON.stringify({ decisions }) : decisions.map(decisionText).join('\n\n')}\n`,
  );
  return 0;
}

async function runList(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      applicant: { type: 'string' },
      key: { type: 'string', multiple: true, default: [] },
      since: { type: 'string', default: '24h' },
      until: { type: 'string', default: 'now' },
      limit: { type: 'string', default: '100' },
      address: { type: 'string', default: DEFAULT_MODEL_SERVER },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const keys = parseAssignments('key', values.key!);
  if (values.applicant !== undefined) {
    if ('applicant_id' in keys) throw new UsageError('give --applicant or --key applicant_id=…, not both');
    keys.applicant_id = parseNumberFlag('applicant', values.applicant, { integer: true });
  }
  if (Object.keys(keys).length === 0) throw new UsageError('give --applicant ID (or --key NAME=VALUE)');
  const now = Date.now();
  const since = parseTimeFlag('since', values.since!, now);
  // `now` includes a decision made in this very millisecond.
  const until = values.until === 'now' ? now + 1 : parseTimeFlag('until', values.until!, now);
  if (until <= since)
    throw new UsageError(`--until (${isoTime(until)}) must be after --since (${isoTime(since)})`);
  const limit = parseNumberFlag('limit', values.limit!, { integer: true });
  if (limit < 1 || limit > 1000) throw new UsageError('--limit: expected 1 to 1000');
  const { decisions } = await withClient(values.address!, (c) =>
    c.listDecisions(
      { entityKeys: toValueMap(keys), sinceUnixMs: since, untilUnixMs: until, limit },
      { deadlineMs: 10000 },
    ),
  );
  process.stdout.write(`${values.json ? JSON.stringify({ decisions }) : decisionsTable(decisions)}\n`);
  return 0;
}

/** Scores of a baseline file for one version (see DECISIONS_USAGE, --baseline). */
export function readBaseline(file: string, version: string): number[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandFailure(
      `cannot read --baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  const scores: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: { score?: unknown; expected?: Record<string, unknown> };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new CommandFailure(`${file}:${i + 1}: not JSON`);
    }
    const score = row.score ?? row.expected?.[version];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new CommandFailure(`${file}:${i + 1}: no "score" and no "expected"."${version}" number`);
    }
    scores.push(score);
  });
  if (scores.length === 0) throw new CommandFailure(`${file} holds no scores`);
  return scores;
}

function stabilityWord(psi: number): string {
  if (psi < 0.1) return 'stable: below 0.1';
  if (psi <= 0.25) return 'moderate shift: 0.1 to 0.25';
  return 'major shift: above 0.25';
}

async function runPsi(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      version: { type: 'string' },
      baseline: { type: 'string' },
      since: { type: 'string', default: '24h' },
      until: { type: 'string', default: 'now' },
      bins: { type: 'string', default: '10' },
      address: { type: 'string', default: DEFAULT_MODEL_SERVER },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.model) throw new UsageError('--model is required');
  if (!values.version) throw new UsageError('--version is required');
  if (!values.baseline) throw new UsageError('--baseline is required');
  const bins = parseNumberFlag('bins', values.bins!, { integer: true });
  if (bins < 2 || bins > 100) throw new UsageError('--bins: expected 2 to 100');
  const now = Date.now();
  const since = parseTimeFlag('since', values.since!, now);
  const until = values.until === 'now' ? now + 1 : parseTimeFlag('until', values.until!, now);
  if (until <= since)
    throw new UsageError(`--until (${isoTime(until)}) must be after --since (${isoTime(since)})`);
  const baseline = readBaseline(values.baseline, values.version);
  const { scores, truncated } = await withClient(values.address!, (c) =>
    c.listScores(
      { model: values.model!, version: values.version!, sinceUnixMs: since, untilUnixMs: until },
      { deadlineMs: 30000 },
    ),
  );
  if (scores.length === 0) {
    throw new CommandFailure(
      `no decisions of ${values.model} version ${values.version} between ${isoTime(since)} and ${isoTime(until)}`,
    );
  }
  const report = populationStability(baseline, scores, bins);
  if (values.json) {
    const edges = report.edges.map((e) => (Number.isFinite(e) ? e : null));
    const out = { ...report, edges, decisions: scores.length, baselineScores: baseline.length, truncated };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const edge = (e: number) => (Number.isFinite(e) ? e.toFixed(4) : e > 0 ? '+inf' : '-inf');
  const lines = [
    `PSI          ${report.psi.toFixed(4)} (${stabilityWord(report.psi)})`,
    `decisions    ${scores.length}${truncated ? ' (truncated)' : ''} of ${values.model} version ${values.version}, ${isoTime(since)} to ${isoTime(until)}`,
    `baseline     ${values.baseline} (${baseline.length} scores)`,
    '',
    textTable(
      ['FROM', 'TO', 'BASELINE', 'DECISIONS'],
      report.expected.map((e, i) => [
        edge(report.edges[i]!),
        edge(report.edges[i + 1]!),
        `${(e * 100).toFixed(1)}%`,
        `${(report.actual[i]! * 100).toFixed(1)}%`,
      ]),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Runs `tally decisions get|list|psi`; returns the process exit status. */
export async function runDecisions(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'get') return runGet(rest);
  if (sub === 'list') return runList(rest);
  if (sub === 'psi') return runPsi(rest);
  throw new UsageError(
    sub === undefined
      ? 'give a subcommand: get, list or psi'
      : `unknown subcommand '${sub}' (get, list or psi)`,
  );
}
