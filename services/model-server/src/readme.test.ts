import fs from 'node:fs';
import path from 'node:path';
import { configTable } from '@tally/grpc-kit';
import { modelServerConfigSpec } from './config';

it("documents every environment variable in the README's configuration table", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
  expect(readme).toContain(configTable(modelServerConfigSpec));
});
