import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@tally/grpc-kit';
import { featureServiceConnection } from './feature-service-connection';
import type { FeatureServiceConnectionConfig } from './feature-service-connection';

const PLAIN: FeatureServiceConnectionConfig = {
  FEATURE_SERVICE_TLS: false,
  FEATURE_SERVICE_TLS_CA_FILE: '',
  FEATURE_SERVICE_TLS_CERT_FILE: '',
  FEATURE_SERVICE_TLS_KEY_FILE: '',
  FEATURE_SERVICE_TLS_SERVER_NAME: '',
  FEATURE_SERVICE_TOKEN_FILE: '',
  TLS_RELOAD_INTERVAL_MS: 5000,
};

describe("the model-server's connection to the feature-service", () => {
  let dir: string;
  let pem: string;
  let token: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-fs-connection-'));
    pem = path.join(dir, 'x.pem');
    fs.writeFileSync(pem, 'pem');
    token = path.join(dir, 'token');
    fs.writeFileSync(token, 'abc123\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is plaintext by default', () => {
    expect(featureServiceConnection(PLAIN)).toEqual({});
  });

  it('uses TLS when asked or when any TLS file is given, re-reading the files at the server interval', () => {
    expect(featureServiceConnection({ ...PLAIN, FEATURE_SERVICE_TLS: true })).toEqual({
      tls: { reloadIntervalMs: 5000 },
    });
    expect(
      featureServiceConnection({
        ...PLAIN,
        FEATURE_SERVICE_TLS_CA_FILE: pem,
        FEATURE_SERVICE_TLS_CERT_FILE: pem,
        FEATURE_SERVICE_TLS_KEY_FILE: pem,
        FEATURE_SERVICE_TLS_SERVER_NAME: 'feature-service.tally.svc',
        FEATURE_SERVICE_TOKEN_FILE: token,
      }),
    ).toEqual({
      tls: {
        caFile: pem,
        certFile: pem,
        keyFile: pem,
        serverName: 'feature-service.tally.svc',
        reloadIntervalMs: 5000,
      },
      token: 'abc123',
    });
  });

  it('names the variables that are wrong', () => {
    expect(() => featureServiceConnection({ ...PLAIN, FEATURE_SERVICE_TLS_CERT_FILE: pem })).toThrow(
      'FEATURE_SERVICE_TLS_CERT_FILE and FEATURE_SERVICE_TLS_KEY_FILE must be set together',
    );
    expect(() =>
      featureServiceConnection({ ...PLAIN, FEATURE_SERVICE_TOKEN_FILE: path.join(dir, 'missing') }),
    ).toThrow(ConfigError);
  });
});
