import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectionOptions } from './connection-flags';
import { UsageError } from './usage-error';

describe('connection flags', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-flags-'));
    file = path.join(dir, 'some.pem');
    fs.writeFileSync(file, 'pem\n');
    fs.writeFileSync(path.join(dir, 'token'), '  s3cret-token\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is plaintext without flags', () => {
    expect(connectionOptions({}, {})).toEqual({});
  });

  it('turns TLS on with any TLS flag, and reads the files once', () => {
    expect(connectionOptions({ tls: true }, {})).toEqual({ tls: { reloadIntervalMs: 0 } });
    expect(
      connectionOptions(
        { 'tls-ca': file, 'tls-cert': file, 'tls-key': file, 'tls-server-name': 'fs.tally' },
        {},
      ),
    ).toEqual({
      tls: { reloadIntervalMs: 0, caFile: file, certFile: file, keyFile: file, serverName: 'fs.tally' },
    });
  });

  it('takes the token from --token-file, else TALLY_TOKEN', () => {
    expect(connectionOptions({ 'token-file': path.join(dir, 'token') }, { TALLY_TOKEN: 'other' })).toEqual({
      token: 's3cret-token',
    });
    expect(connectionOptions({}, { TALLY_TOKEN: 'from-env' })).toEqual({ token: 'from-env' });
  });

  it('answers usage errors naming the flag', () => {
    expect(() => connectionOptions({ 'tls-cert': file }, {})).toThrow(
      new UsageError('give --tls-cert and --tls-key together'),
    );
    expect(() => connectionOptions({ 'tls-ca': path.join(dir, 'missing') }, {})).toThrow(
      `--tls-ca: cannot read ${path.join(dir, 'missing')}`,
    );
    expect(() => connectionOptions({}, { TALLY_TOKEN: 'two words' })).toThrow('one word of printable ASCII');
  });
});
