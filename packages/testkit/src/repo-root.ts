import path from 'node:path';

/** The repository root (testkit lives at packages/testkit/dist). */
export function repoRoot(): string {
  return path.resolve(__dirname, '../../..');
}
