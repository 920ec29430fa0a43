#!/usr/bin/env node
import { INGEST_USAGE, UsageError, runIngest } from './commands/ingest';

/** One entry per command; each command lives in its own file under commands/. */
const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  ingest: { usage: INGEST_USAGE, run: runIngest },
};

const USAGE = `usage: tally <command> [options]\n\ncommands:\n${Object.keys(COMMANDS)
  .map((name) => `  ${name}`)
  .join('\n')}\n\nRun 'tally <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`tally: unknown command '${name}'\n${USAGE}\n`);
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
      process.stderr.write(`tally ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    const e = err as { details?: string; message?: string };
    process.stderr.write(`tally ${name}: ${e.details ?? e.message ?? String(err)}\n`);
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
