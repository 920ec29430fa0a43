import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';

/** MySQL server for the tests that need one (TALLY_TEST_MYSQL_URL, default the local MariaDB). */
export const MYSQL_URL = process.env.TALLY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * Whether the MySQL suites can run, decided before `describe` (so synchronously, in a child
 * process). In CI an unreachable server throws; elsewhere the suite is skipped, saying so.
 */
export function mysqlReachable(): boolean {
  const probe = `require('mysql2/promise').createConnection({ uri: process.argv[1], connectTimeout: 3000 })
    .then((c) => c.end(), (e) => { process.stderr.write(e.message); process.exit(1); })`;
  try {
    execFileSync(process.execPath, ['-e', probe, MYSQL_URL], {
      cwd: __dirname,
      timeout: 10000,
      stdio: 'pipe',
    });
    return true;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    const reason = stderr || (err instanceof Error ? err.message : String(err));
    if (process.env.CI) throw new Error(`CI is set but MySQL at ${MYSQL_URL} is unreachable: ${reason}`);
    console.warn(`SKIPPED: MySQL at ${MYSQL_URL} is unreachable (${reason}); with CI set this fails instead`);
    return false;
  }
}

/** A database created for one test file and dropped after it. */
export class ScratchDatabase {
  private constructor(readonly name: string) {}

  static async create(): Promise<ScratchDatabase> {
    const db = new ScratchDatabase(`tally_e2e_${randomBytes(5).toString('hex')}`);
    await db.#admin((c) => c.query(`CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4`));
    return db;
  }

  /** STORE_URL of the feature-service. */
  get url(): string {
    const url = new URL(MYSQL_URL);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  /** A connection to this database (the caller ends it). */
  connect(): Promise<Connection> {
    return createConnection({ uri: this.url });
  }

  drop(): Promise<void> {
    return this.#admin((c) => c.query(`DROP DATABASE IF EXISTS \`${this.name}\``));
  }

  async #admin(work: (c: Connection) => Promise<unknown>): Promise<void> {
    const connection = await createConnection({ uri: MYSQL_URL });
    try {
      await work(connection);
    } finally {
      await connection.end();
    }
  }
}
