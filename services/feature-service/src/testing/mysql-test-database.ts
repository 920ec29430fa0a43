import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** The MySQL server tests use: TALLY_TEST_MYSQL_URL, by default the local one. */
export const MYSQL_SERVER_URL = process.env.TALLY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * Whether MySQL tests run, decided synchronously so suites can `describe.skip`. In CI an unreachable
 * server is an error (the suite fails); elsewhere the suite is skipped with a visible warning.
 */
export function mysqlAvailable(): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('mysql2/promise').createConnection({uri: process.argv[1], connectTimeout: 3000})
        .then(c => c.end()).then(() => process.exit(0), e => { console.error(e.message); process.exit(1); })`,
      MYSQL_SERVER_URL,
    ],
    { cwd: __dirname, encoding: 'utf8', timeout: 10000 },
  );
  if (probe.status === 0) return true;
  const reason = (probe.stderr || probe.error?.message || 'no answer').trim();
  if (process.env.CI)
    throw new Error(`MySQL tests must run in CI but ${MYSQL_SERVER_URL} is unreachable: ${reason}`);
  console.warn(
    `SKIPPING MySQL tests: ${MYSQL_SERVER_URL} is unreachable (${reason}); set CI=1 to make this fail`,
  );
  return false;
}

/** A fresh database `tally_test_<random>` for one test file; `drop()` removes it. */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl = MYSQL_SERVER_URL): Promise<TestDatabase> {
  const name = `tally_test_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection({ uri: serverUrl });
  try {
    await admin.query(`create database \`${name}\` character set utf8mb4`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const connection = await createConnection({ uri: serverUrl });
      try {
        await connection.query(`drop database if exists \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
