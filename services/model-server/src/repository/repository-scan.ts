import fs from 'node:fs';
import path from 'node:path';

export const MODEL_FILE_NAME = 'model.onnx';

/** Model directories in the repository (every directory; hidden ones skipped), sorted. */
export function listModelDirectories(repository: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(repository, { withFileTypes: true });
  } catch (err) {
    throw new Error(
      `model repository ${repository} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** Version directories of one model (positive integer names), ascending. */
export function listVersions(modelDir: string): number[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(modelDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && /^[1-9][0-9]{0,8}$/.test(e.name))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
}

export function modelFilePath(modelDir: string, version: number): string {
  return path.join(modelDir, String(version), MODEL_FILE_NAME);
}
