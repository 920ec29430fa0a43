import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@tally/grpc-kit';
import { loadRegistry } from '../registry';
import { createTestDatabase, mysqlAvailable } from '../testing';
import { OnlineStore } from './online-store';
import { storeTlsOptions } from './store-tls';
import { parseStoreUrl } from './store-url';

const REGISTRY_DIR = path.resolve(__dirname, '../../../../features');
const OFF = { STORE_TLS: false, STORE_TLS_CA_FILE: '', STORE_TLS_CERT_FILE: '', STORE_TLS_KEY_FILE: '' };

describe('storeTlsOptions', () => {
  let dir: string;
  let pem: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-store-tls-'));
    pem = path.join(dir, 'ca.crt');
    fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is off unless asked for', () => {
    expect(storeTlsOptions(OFF)).toBeUndefined();
  });

  it('always verifies the server, against the CA file when given', () => {
    expect(storeTlsOptions({ ...OFF, STORE_TLS: true })).toEqual({ rejectUnauthorized: true });
    expect(storeTlsOptions({ ...OFF, STORE_TLS_CA_FILE: pem })).toEqual({
      rejectUnauthorized: true,
      ca: fs.readFileSync(pem),
    });
  });

  it('names the variables that do not go together or cannot be read', () => {
    expect(() => storeTlsOptions({ ...OFF, STORE_TLS_CERT_FILE: pem })).toThrow(
      'STORE_TLS_CERT_FILE and STORE_TLS_KEY_FILE must be set together',
    );
    expect(() => storeTlsOptions({ ...OFF, STORE_TLS_KEY_FILE: pem })).toThrow(ConfigError);
    expect(() => storeTlsOptions({ ...OFF, STORE_TLS_CA_FILE: path.join(dir, 'nope') })).toThrow(
      `STORE_TLS_CA_FILE="${path.join(dir, 'nope')}": no readable file there`,
    );
  });
});

const describeMysql = mysqlAvailable() ? describe : describe.skip;

describeMysql('TLS to MySQL', () => {
  // The project's MariaDB runs without TLS: a store configured for TLS must refuse it rather than
  // fall back to plaintext (which proves the options reach mysql2).
  it('refuses a server that does not offer TLS', async () => {
    const db = await createTestDatabase();
    try {
      await expect(
        OnlineStore.open(parseStoreUrl(db.url)!, loadRegistry(REGISTRY_DIR), {
          poolSize: 1,
          connectTimeoutMs: 5000,
          ssl: storeTlsOptions({ ...OFF, STORE_TLS: true })!,
        }),
      ).rejects.toThrow(/secure connection|SSL|TLS/i);
    } finally {
      await db.drop();
    }
  });
});
