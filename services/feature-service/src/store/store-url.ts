import { describeDatabaseTarget, parseDatabaseUrl } from '@tally/grpc-kit';
import type { DatabaseTarget } from '@tally/grpc-kit';

/** Where the online store lives, parsed from STORE_URL (grpc-kit's database URL, shared by both services). */
export type StoreTarget = DatabaseTarget;

export type StoreDialect = StoreTarget['dialect'];

/** Parses STORE_URL: `sqlite:PATH` or `mysql://user[:password]@host[:port]/database`; undefined otherwise. */
export const parseStoreUrl = parseDatabaseUrl;

/** The target without its password, for logs. */
export const describeStoreTarget = describeDatabaseTarget;
