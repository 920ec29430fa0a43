import type { BenchProfile } from './scenarios/scenario';

export interface BenchOptions {
  profile: BenchProfile;
  /** Scenario names to run; empty = all. */
  only: string[];
  /** Where results go (default bench/results). */
  resultsDir?: string;
  /** Profile the service processes (`--profile`). */
  cpuProfile: boolean;
}

export const USAGE = `Usage: node bench/dist/run.js [--quick] [--profile] [--only name,name] [--generators N] [--results DIR]
  --quick         short warm-ups and windows: the whole run in under 2 minutes (the CI smoke run)
  --profile       run the services under node --cpu-prof: .cpuprofile files next to the results, top
                  self-time functions per process in the JSON and the report
  --only          run only these scenarios (model-infer, feature-vectors, score, tracing,
                  server-cost, scale-out)
  --generators N  load generator processes per load above concurrency 1 (default 2)
  --results DIR   write the JSON, the report and its charts there (default bench/results)`;

/** Parses the command line; throws with the usage on anything it does not know. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let generators = 2;
  let only: string[] = [];
  let resultsDir: string | undefined;
  let cpuProfile = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      i += 1;
      return v;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') cpuProfile = true;
    else if (arg === '--only') only = value().split(',').filter(Boolean);
    else if (arg === '--generators') {
      generators = Number(value());
      if (!Number.isInteger(generators) || generators < 1 || generators > 8) {
        throw new Error(`--generators must be an integer from 1 to 8\n${USAGE}`);
      }
    } else if (arg === '--results') resultsDir = value();
    else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return {
    profile: quick
      ? { quick, warmupMs: 300, durationMs: 1000, generators, tracingRounds: 1 }
      : { quick, warmupMs: 2000, durationMs: 6000, generators, tracingRounds: 3 },
    only,
    cpuProfile,
    ...(resultsDir !== undefined ? { resultsDir } : {}),
  };
}
