import fs from 'node:fs';
import path from 'node:path';
import { configTable, loadConfig } from '@tally/grpc-kit';
import { featureServiceConfigSpec } from './config';

describe('feature-service config', () => {
  it('the README documents exactly the variables of the spec', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
    expect(readme).toContain(configTable(featureServiceConfigSpec));
  });

  it('parses STORE_URL and refuses anything but sqlite: and mysql://', () => {
    const config = loadConfig(featureServiceConfigSpec, { STORE_URL: 'mysql://root@db:3306/tally' });
    expect(config.STORE_URL).toEqual({ dialect: 'mysql', url: 'mysql://root@db:3306/tally' });
    expect(loadConfig(featureServiceConfigSpec, {}).STORE_URL).toEqual({
      dialect: 'sqlite',
      file: path.resolve('data/tally.sqlite'),
    });
    expect(() => loadConfig(featureServiceConfigSpec, { STORE_URL: 'postgres://x/y' })).toThrow(/STORE_URL/);
    expect(() => loadConfig(featureServiceConfigSpec, { STORE_URL: 'mysql://host' })).toThrow(/STORE_URL/);
  });
});
