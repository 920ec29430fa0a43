import fs from 'node:fs';
import path from 'node:path';
import { configTable } from '@tally/grpc-kit';
import { otelConfigSpec } from './otel-config';

it('the README documents exactly otelConfigSpec', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
  expect(readme).toContain(configTable(otelConfigSpec));
});
