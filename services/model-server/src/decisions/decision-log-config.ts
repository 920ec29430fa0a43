import path from 'node:path';
import { env } from '@tally/grpc-kit';
import { parseDecisionDatabaseUrl } from './decision-database-url';
import type { DecisionDatabaseTarget } from './decision-database-url';

const MIB = 1024 * 1024;

/** The decision log's environment variables (part of the model-server's config spec). */
export const decisionLogConfigSpec = {
  DECISION_LOG_ENABLED: env.boolean(
    'Record every answered Score/ScoreBatch decision (durable locally before the answer, then shipped to DECISION_DATABASE_URL). false = no record is kept (benchmarks only).',
    true,
  ),
  DECISION_LOG_DIR: env.custom(
    "Folder of the decision log's write-ahead segment files (a persistent volume in production; one folder per model-server). Created when missing.",
    'a folder path (relative paths are resolved from the working directory)',
    path.resolve('data/decision-log'),
    (raw) => path.resolve(raw),
    './data/decision-log',
  ),
  DECISION_DATABASE_URL: env.custom<DecisionDatabaseTarget>(
    'Database the decision log is shipped to (table tally_decision, created on first use). A relative SQLite path is resolved from the working directory.',
    'sqlite:PATH or mysql://user[:password]@host[:port]/database',
    parseDecisionDatabaseUrl('sqlite:./data/decisions.sqlite'),
    parseDecisionDatabaseUrl,
    'sqlite:./data/decisions.sqlite',
  ),
  DECISION_LOG_MAX_BYTES: env.integer(
    'Most bytes of decisions kept on local disk while not yet in the database; a warning is logged at 80%, and at the bound Score answers UNAVAILABLE rather than deciding without a record.',
    1024 * MIB,
    MIB / 16,
    2 ** 50,
  ),
  DECISION_LOG_SEGMENT_BYTES: env.integer(
    'Size at which a write-ahead segment file is sealed and a new one started (sealed segments are deleted once shipped).',
    64 * MIB,
    4096,
    2 ** 40,
  ),
  DECISION_SHIP_INTERVAL_MS: env.integer(
    'Pause between two shipping rounds to the database (records arriving meanwhile go in one batch).',
    200,
    1,
    60000,
  ),
  DECISION_SHIP_BATCH_RECORDS: env.integer('Most decision records in one INSERT.', 500, 1, 10000),
};
