import fs from 'node:fs';
import path from 'node:path';

/** What ServerMetadata reports. */
export const SERVER_NAME = 'tally-model-server';

function packageVersion(): string {
  try {
    const file = path.resolve(__dirname, '../package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const SERVER_VERSION = packageVersion();
