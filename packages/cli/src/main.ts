#!/usr/bin/env node
import { CommandFailure } from './command-failure';
import { DECISIONS_USAGE, runDecisions } from './commands/decisions';
import { FEATURES_USAGE, runFeatures } from './commands/features';
import { EVENTS_USAGE, runEvents } from './commands/events';
import { INGEST_USAGE, runIngest } from './commands/ingest';
import { MODELS_USAGE, runModels } from './commands/models';
import { SCORE_USAGE, runScore } from './commands/score';
import { STATUS_USAGE, runStatus } from './commands/status';
import { UsageError } from './usage-error';

// grpc-js sets the TLS server name to the target's host even when it is an IP address, which Node
// answers with a DEP0123 warning on every TLS call to an ip:port; a command's output is for people.
process.noDeprecation = true;

/** One entry per command; each command lives in its own file under commands/. */
const COMMANDS: Record<string, { summary: string; usage: string; run: (args: string[]) => Promise<number> }> =
  {
    score: {
      summary: 'score one decision (model, applicant, checkout context)',
      usage: SCORE_USAGE,
      run: runScore,
    },
    models: { summary: 'list the models, their versions and states', usage: MODELS_USAGE, run: runModels },
    features: {
      summary: 'list feature sets, describe one, or get a vector',
      usage: FEATURES_USAGE,
      run: runFeatures,
    },
    ingest: { summary: 'load a CSV/JSONL table into the online store', usage: INGEST_USAGE, run: runIngest },
    events: { summary: 'load a file of events, or send one event', usage: EVENTS_USAGE, run: runEvents },
    status: { summary: 'health of both services', usage: STATUS_USAGE, run: runStatus },
    decisions: {
      summary: 'read the decision log: one decision by request id, or an entity over time',
      usage: DECISIONS_USAGE,
      run: runDecisions,
    },
  };

const USAGE = `usage: tally <command> [options]\n\ncommands:\n${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}\n\nRun 'tally <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`tally: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`tally ${name}: ${(err as Error).message} (see 'tally ${name} --help')\n`);
      return 2;
    }
    if (err instanceof CommandFailure) {
      process.stderr.write(`tally: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`tally: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tally: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
