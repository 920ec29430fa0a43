import { describeDatabaseTarget, parseDatabaseUrl } from '@tally/grpc-kit';
import type { DatabaseTarget } from '@tally/grpc-kit';

/** Where shipped decisions are stored, parsed from DECISION_DATABASE_URL (grpc-kit's database URL). */
export type DecisionDatabaseTarget = DatabaseTarget;

/** Parses DECISION_DATABASE_URL: `sqlite:PATH` or `mysql://user[:password]@host[:port]/database`. */
export const parseDecisionDatabaseUrl = parseDatabaseUrl;

/** The target without its password, for logs. */
export const describeDecisionDatabase = describeDatabaseTarget;
