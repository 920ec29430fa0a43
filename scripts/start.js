#!/usr/bin/env node
/**
 * `pnpm start`: runs the whole stack on this machine — the feature-service (embedded SQLite store
 * under ./data) and the model-server — with readable, prefixed logs. Ctrl-C stops both cleanly.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const COLORS = { 'feature-service': '\x1b[36m', 'model-server': '\x1b[35m' };
const RESET = '\x1b[0m';
const useColor = process.stdout.isTTY;

function prefix(name) {
  const label = name.padEnd(15);
  return useColor ? `${COLORS[name]}${label}${RESET} | ` : `${label} | `;
}

/** Renders one JSON log line readably: time, level, message, then the other fields. */
function readable(line) {
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  const { time, level, message, service: _service, ...rest } = record;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${message}${fields ? `  ${fields}` : ''}`;
}

function run(name, script, env) {
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline
      .createInterface({ input: stream })
      .on('line', (line) => console.log(prefix(name) + readable(line)));
  }
  return child;
}

const children = [
  run('feature-service', 'services/feature-service/dist/main.js', {}),
  run('model-server', 'services/model-server/dist/main.js', {
    FEATURE_SERVICE_ADDR: process.env.FEATURE_SERVICE_ADDR ?? '127.0.0.1:50051',
  }),
];

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping both services…');
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

let exited = 0;
let failed = false;
for (const child of children) {
  child.on('exit', (code) => {
    exited += 1;
    if (code !== 0) failed = true;
    if (!stopping) stop();
    if (exited === children.length) process.exit(failed ? 1 : 0);
  });
}
