#!/usr/bin/env node
/**
 * `pnpm start` (after `tsc -b`): runs the whole stack on this machine with the demo credit model.
 *
 * 1. starts the feature-service (embedded SQLite store `sqlite:./data/tally.sqlite`, relative to the
 *    working directory, unless STORE_URL says otherwise) and waits until it is healthy;
 * 2. loads the demo applicants (data/lending_club.csv) with `tally ingest` if the store does not hold
 *    them yet;
 * 3. loads a SYNTHETIC purchase history (packages/cli/src/demo-events.ts, docs/demo-events.md) into the
 *    event source purchase_attempts through WriteEvents (`tally events ingest`) if the store has none
 *    that the windows still see; event times are relative to now, so the windows have content;
 * 4. starts the model-server, pointed at the feature-service, and waits until it is healthy;
 * 5. prints the `pnpm tally score …` command to try next, and commands that show a real-time feature
 *    (purchase_count_1h of credit_risk_rt) change when one more event is sent.
 *
 * Logs of both services are printed readably, prefixed with the service's name. Ctrl-C (SIGINT) or
 * SIGTERM stops both cleanly (exit 0). Ports are the services' defaults; TALLY_FEATURE_SERVICE_PORT,
 * TALLY_MODEL_SERVER_PORT, TALLY_FEATURE_SERVICE_METRICS_PORT and TALLY_MODEL_SERVER_METRICS_PORT
 * move them (the services' own GRPC_PORT/METRICS_PORT would apply to both at once).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

// First, so that a Ctrl-C while the rest loads is not lost (handlers run once this file has been evaluated).
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const root = path.resolve(__dirname, '..');
const cliMain = path.join(root, 'packages/cli/dist/main.js');
const cli = require(path.join(root, 'packages/cli/dist'));

const DEMO_FILE = path.join(root, 'data/lending_club.csv');
const fs = require('node:fs');
const DEMO_APPLICANT = 17;
const HEALTHY_WITHIN_MS = 120_000;

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`start: ${name}=${raw} is not a port (0-65535)`);
    process.exit(2);
  }
  return port;
}

const ports = {
  feature: portFromEnv('TALLY_FEATURE_SERVICE_PORT', 50051),
  featureMetrics: portFromEnv('TALLY_FEATURE_SERVICE_METRICS_PORT', 9101),
  model: portFromEnv('TALLY_MODEL_SERVER_PORT', 50052),
  modelMetrics: portFromEnv('TALLY_MODEL_SERVER_METRICS_PORT', 9102),
};
const featureAddress = `127.0.0.1:${ports.feature}`;
const modelAddress = `127.0.0.1:${ports.model}`;

const useColor = process.stdout.isTTY;
const COLORS = {
  'feature-service': '\x1b[36m',
  'model-server': '\x1b[35m',
  'tally ingest': '\x1b[33m',
  'tally events': '\x1b[33m',
  start: '\x1b[1m',
};
const RESET = '\x1b[0m';

function prefix(name) {
  const label = name.padEnd(15);
  return useColor ? `${COLORS[name]}${label}${RESET} | ` : `${label} | `;
}

function say(message) {
  console.log(prefix('start') + message);
}

/** Renders one JSON log line readably: time, level, message, then the other fields. */
function readable(line) {
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null) return line;
  const { time, level, message, service: _service, ...rest } = record;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${message}${fields ? `  ${fields}` : ''}`;
}

const children = new Set();
let stopping = false;

function run(name, script, env) {
  // The services resolve a relative STORE_URL from their working directory: ours.
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.name = name;
  children.add(child);
  child.listening = false;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      if (/"message":"listening"/.test(line)) child.listening = true;
      if (/EADDRINUSE/.test(line)) child.portInUse = true;
      console.log(prefix(name) + readable(line));
    });
  }
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  child.exited.then(({ code, signal }) => {
    if (!stopping) {
      say(`${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping`);
      if (child.portInUse) {
        say(
          'a port it needs is taken: is Tally already running? Stop it, or move the ports (see scripts/start.js)',
        );
      }
      void stop(1);
    }
  });
  return child;
}

/** Polls grpc.health.v1 until SERVING; rejects when the process exits or time runs out. */
async function waitHealthy(child, address) {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    if (exited || stopping) throw new Error(`${child.name} stopped before it was healthy`);
    // Our process said it listens (not another one on the same port), and health says SERVING.
    if (child.listening && (await cli.serviceHealth(address, 1000)) === 'SERVING') return;
    if (Date.now() > deadline)
      throw new Error(`${child.name} at ${address} not healthy after ${HEALTHY_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs a `tally` load command; its progress bar (on a terminal) or summary goes to our stdout. */
function runLoad(name, args) {
  // On a terminal the ingest draws its progress bar on ours; otherwise its lines are prefixed like the logs.
  const ingest = spawn(process.execPath, [cliMain, ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', useColor ? 'inherit' : 'pipe', useColor ? 'inherit' : 'pipe'],
  });
  for (const stream of [ingest.stdout, ingest.stderr].filter(Boolean)) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(prefix(name) + line));
  }
  ingest.name = name;
  children.add(ingest);
  ingest.exited = new Promise((resolve) =>
    ingest.once('exit', (code, signal) => {
      children.delete(ingest);
      resolve({ code, signal });
    }),
  );
  return ingest.exited.then(({ code }) => (code === 0 ? 0 : (code ?? 1)));
}

let stopped;
/** Stops everything we started (SIGTERM: each service drains, then exits), then exits. */
function stop(exitCode) {
  if (stopped) return stopped;
  stopping = true;
  say('stopping both services…');
  const waits = [...children].map((child) => {
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    return child.exited.then((exit) => {
      clearTimeout(force);
      return { ...exit, name: child.name, listening: child.listening };
    });
  });
  stopped = Promise.all(waits).then((exits) => {
    // A service that ran exits 0 once drained. An interrupted ingest, or a service still starting (it has
    // no signal handler yet, so the signal ends it), is what the user asked for, not a failure to stop.
    const asked = (e) =>
      e.name.startsWith('tally ') || (!e.listening && (e.signal === 'SIGTERM' || e.signal === 'SIGINT'));
    const unclean = exits.filter((e) => e.code !== 0 && !asked(e));
    const clean = unclean.length === 0;
    say(
      clean
        ? 'stopped'
        : `stopped, uncleanly: ${unclean.map((e) => `${e.name} ${e.signal ?? `exit ${e.code}`}`).join(', ')}`,
    );
    process.exit(exitCode !== 0 ? exitCode : clean ? 0 : 1);
  });
  return stopped;
}

async function main() {
  const featureService = run('feature-service', 'services/feature-service/dist/main.js', {
    GRPC_PORT: String(ports.feature),
    METRICS_PORT: String(ports.featureMetrics),
  });
  await waitHealthy(featureService, featureAddress);

  const rows = await cli.readDemoRows(DEMO_FILE);
  if (await cli.demoDataLoaded(featureAddress, rows.length)) {
    say(`the store already holds the ${rows.length} demo applicants`);
  } else {
    say(`loading the ${rows.length} demo applicants of data/lending_club.csv (applicant_id = row number)…`);
    const code = await runLoad('tally ingest', cli.demoIngestArgs(DEMO_FILE, featureAddress));
    if (stopping) return;
    if (code !== 0) throw new Error(`loading the demo data failed (tally ingest exited ${code})`);
  }

  if (await cli.demoEventsLoaded(featureAddress)) {
    say('the store already holds a synthetic purchase history within the last 30 days');
  } else {
    const file = path.resolve(process.cwd(), 'data/purchase_attempts.synthetic.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const count = cli.writeDemoEvents(file, { applicants: rows.length, nowMs: Date.now() });
    say(
      `loading ${count} SYNTHETIC purchase attempts (seeded random history, not real data; ` +
        `docs/demo-events.md) from ${path.relative(process.cwd(), file)}…`,
    );
    const code = await runLoad('tally events', cli.demoEventsIngestArgs(file, featureAddress));
    if (stopping) return;
    if (code !== 0) throw new Error(`loading the synthetic events failed (tally events exited ${code})`);
  }

  const modelServer = run('model-server', 'services/model-server/dist/main.js', {
    GRPC_PORT: String(ports.model),
    METRICS_PORT: String(ports.modelMetrics),
    FEATURE_SERVICE_ADDR: featureAddress,
  });
  await waitHealthy(modelServer, modelAddress);

  const applicant = rows[DEMO_APPLICANT - 1];
  const command = [
    'pnpm tally score --model credit_risk',
    `--applicant ${DEMO_APPLICANT} --amount 5000 --term 36`,
    `--int-rate ${applicant.int_rate} --sub-grade ${applicant.sub_grade}`,
    ...(ports.model === 50052 ? [] : [`--address ${modelAddress}`]),
  ].join(' ');
  say(`both services are healthy: feature-service ${featureAddress}, model-server ${modelAddress}`);
  say(
    `score applicant ${DEMO_APPLICANT} at the rate and sub-grade the lender offered them; in another terminal run:`,
  );
  say('');
  say(`    ${command}`);
  say('');
  const fsAddress = ports.feature === 50051 ? '' : ` --address ${featureAddress}`;
  const get =
    `pnpm tally features get --feature-set credit_risk_rt --applicant ${DEMO_APPLICANT} ` +
    `--context amount=5000 --context term=36 --columns purchase_count_1h,purchase_count_24h,` +
    `purchase_amount_sum_7d,purchase_amount_max_30d,declined_count_30d${fsAddress}`;
  say(`real-time features: applicant ${DEMO_APPLICANT}'s purchase velocity, one more attempt, and again:`);
  say('');
  say(`    ${get}`);
  say(
    `    pnpm tally events send --source purchase_attempts --key applicant_id=${DEMO_APPLICANT} ` +
      `--field amount=250 --field merchant_id=m07 --field decision=approved${fsAddress}`,
  );
  say(`    ${get}`);
  say('');
  say(
    `more: pnpm tally models | pnpm tally features describe credit_risk | pnpm tally --help. Ctrl-C stops both.`,
  );
}

main().catch((err) => {
  if (stopping) return;
  say(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
