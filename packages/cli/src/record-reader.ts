import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

export type FileFormat = 'csv' | 'jsonl';

/** One input record with the 1-based line it starts on (for messages). */
export interface InputRecord {
  readonly line: number;
  /** Column → value: strings from CSV (empty = absent), JSON values from JSONL. */
  readonly fields: Record<string, unknown>;
  /** Set when the line itself could not be parsed. */
  readonly error?: string;
}

export function formatOf(file: string, explicit: string | undefined): FileFormat {
  const format =
    explicit ?? (/\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : /\.csv$/i.test(file) ? 'csv' : undefined);
  if (format !== 'csv' && format !== 'jsonl') {
    throw new Error(`cannot tell the format of ${file}: use --format csv or --format jsonl`);
  }
  return format;
}

/** Streams the records of a CSV (with a header row) or JSONL file; `onBytes` reports progress. */
export async function* readRecords(
  file: string,
  format: FileFormat,
  onBytes: (bytesRead: number) => void,
): AsyncGenerator<InputRecord> {
  const input = fs.createReadStream(file);
  input.on('data', () => onBytes(input.bytesRead));
  if (format === 'csv') {
    const parser = input.pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, info: true, relax_column_count: false }),
    );
    for await (const item of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: item.info.lines, fields: item.record };
    }
    return;
  }
  let line = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    // Blank lines and '#' comment lines (no JSON value starts with '#') are skipped.
    if (text.trim() === '' || text.startsWith('#')) continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        yield { line, fields: {}, error: 'expected a JSON object' };
      } else {
        yield { line, fields: parsed as Record<string, unknown> };
      }
    } catch (err) {
      yield { line, fields: {}, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
