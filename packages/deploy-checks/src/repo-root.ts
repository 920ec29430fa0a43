import path from 'node:path';

/** The repository root (this file is in packages/deploy-checks/src or dist). */
export function repoRoot(): string {
  return path.resolve(__dirname, '../../..');
}

/** An absolute path inside the repository. */
export function repoPath(...segments: string[]): string {
  return path.join(repoRoot(), ...segments);
}
