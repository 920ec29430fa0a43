import { SingleBar } from 'cli-progress';

/**
 * What `tally ingest` and `tally events ingest` share: the progress bar on a terminal (by bytes of the
 * file read) and the list of rejected records with their line numbers and reasons.
 */
export const MAX_LISTED_REJECTIONS = 100;

export interface Rejections {
  /** Records rejected (by the CLI or by the service). */
  count: number;
  /** The first rejected records (at most MAX_LISTED_REJECTIONS), with their reasons. */
  list: Array<{ line: number; reason: string }>;
}

export function newRejections(): Rejections {
  return { count: 0, list: [] };
}

export function reject(rejections: Rejections, line: number, reason: string): void {
  rejections.count += 1;
  if (rejections.list.length < MAX_LISTED_REJECTIONS) rejections.list.push({ line, reason });
}

/** The listed rejections as indented lines, plus "… and N more" when the list was cut. */
export function rejectionLines(rejections: Rejections): string[] {
  const lines = rejections.list.map((r) => `  line ${r.line}: ${r.reason}`);
  if (rejections.count > rejections.list.length)
    lines.push(`  … and ${rejections.count - rejections.list.length} more`);
  return lines;
}

/** A progress bar over `totalBytes` of input on a terminal; undefined (no output) otherwise. */
export function progressBar(label: string, totalBytes: number, unit: string): LoadProgress | undefined {
  if (!process.stdout.isTTY) return undefined;
  const bar = new SingleBar({
    format: `${label} {bar} {percentage}% | {count} ${unit} | {eta_formatted} left`,
    hideCursor: true,
  });
  bar.start(totalBytes, 0, { count: 0 });
  return {
    update: (bytes, count) => bar.update(bytes, { count }),
    finish: (count) => bar.update(totalBytes, { count }),
    stop: () => bar.stop(),
  };
}

export interface LoadProgress {
  update(bytesRead: number, records: number): void;
  finish(records: number): void;
  stop(): void;
}
