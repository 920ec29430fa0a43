import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'LOCK';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims `dir` for this process (a `LOCK` file holding its pid), so two model-servers never append
 * to one write-ahead folder. A lock left by a process that no longer runs (kill -9) is taken over.
 * Returns why the folder cannot be claimed, or undefined once it is.
 */
export function claimDir(dir: string): string | undefined {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        return `cannot create ${file}: ${(error as Error).message}`;
      }
    }
    const holder = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      return `${dir} is in use by process ${holder} (its ${LOCK_FILE} file); give each model-server its own DECISION_LOG_DIR`;
    }
    fs.rmSync(file, { force: true });
  }
  return `cannot claim ${dir}`;
}

/** Gives the folder up (at a clean shutdown). */
export function releaseDir(dir: string): void {
  fs.rmSync(path.join(dir, LOCK_FILE), { force: true });
}
