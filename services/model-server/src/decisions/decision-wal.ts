import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UnavailableError } from '@tally/grpc-kit';
import { claimDir, releaseDir } from './dir-lock';
import { SEGMENT_MAGIC, decodeFrames, encodeFrame } from './wal-frame';
import { errorMessage } from './error-message';

const SEGMENT_NAME = /^segment-(\d{16})\.wal$/;
/** Most bytes one `read` call takes from a segment. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

export function segmentFileName(seq: number): string {
  return `segment-${String(seq).padStart(16, '0')}.wal`;
}

export interface DecisionWalOptions {
  /** Folder of the segment files (created when missing). */
  readonly dir: string;
  /** A segment is sealed (and a new one started) once it holds this many bytes. */
  readonly segmentBytes: number;
  /** Most unshipped bytes on disk; past it, appends fail (UNAVAILABLE) until the shipper catches up. */
  readonly maxBytes: number;
  /** Called after each group commit with its records and its write+fdatasync time. */
  readonly onGroupCommit?: (records: number, seconds: number) => void;
}

interface Segment {
  readonly seq: number;
  readonly file: string;
  /** Bytes known durable (fdatasync'd), the magic included. For a segment found at start: its size. */
  durable: number;
  sealed: boolean;
}

interface Waiter {
  readonly frame: Buffer;
  resolve(): void;
  reject(error: Error): void;
}

/** What `read` returns: whole records of one segment from an offset. */
export interface WalRead {
  readonly seq: number;
  readonly payloads: Buffer[];
  /** Offset to read from next time. */
  readonly end: number;
  /** The segment is sealed and was read to its end: release it once these records are shipped. */
  readonly finished: boolean;
  /** A torn or corrupt tail found at the end of a sealed segment (logged; never acknowledged). */
  readonly tail: string | undefined;
}

/**
 * The decision log's write-ahead file: framed, checksummed records appended to numbered segment
 * files, made durable in groups (one write and one fdatasync for every record that arrived while
 * the previous group was being written). `append` resolves only once its record is on disk, so an
 * answer sent after it is never lost to a crash. Sealed segments are deleted once shipped.
 */
export class DecisionWal {
  readonly #o: DecisionWalOptions;
  readonly #segments: Segment[] = [];
  #active: { segment: Segment; handle: FileHandle } | undefined;
  #nextSeq: number;
  #pending: Waiter[] = [];
  #flushing: Promise<void> | undefined;
  #shipped = { seq: 0, offset: 0 };
  #closed = false;
  /** Why nothing can be appended at all (the folder cannot be created or is another process's). */
  readonly #unusable: string | undefined;

  private constructor(options: DecisionWalOptions, found: Segment[], unusable: string | undefined) {
    this.#o = options;
    this.#unusable = unusable;
    this.#segments.push(...found);
    this.#nextSeq = (found.at(-1)?.seq ?? 0) + 1;
  }

  /**
   * Lists the segments a previous run left (every one is sealed and replayed by the shipper). A
   * folder that cannot be created or read is not fatal here: appends fail, naming the reason.
   */
  static open(options: DecisionWalOptions): DecisionWal {
    const found: Segment[] = [];
    let unusable: string | undefined;
    try {
      fs.mkdirSync(options.dir, { recursive: true });
      unusable = claimDir(options.dir);
      if (unusable !== undefined) return new DecisionWal(options, [], unusable);
      for (const name of fs.readdirSync(options.dir).sort()) {
        const seq = SEGMENT_NAME.exec(name)?.[1];
        if (seq === undefined) continue;
        const file = path.join(options.dir, name);
        found.push({ seq: Number(seq), file, durable: fs.statSync(file).size, sealed: true });
      }
    } catch (error) {
      unusable = `cannot use ${options.dir}: ${errorMessage(error)}`;
    }
    return new DecisionWal(options, found, unusable);
  }

  get dir(): string {
    return this.#o.dir;
  }

  /** Bytes written to disk and not yet shipped (what the bound applies to). */
  unshippedBytes(): number {
    let bytes = 0;
    for (const s of this.#segments) {
      if (s.seq > this.#shipped.seq) bytes += s.durable;
      else if (s.seq === this.#shipped.seq) bytes += Math.max(0, s.durable - this.#shipped.offset);
    }
    return bytes;
  }

  get maxBytes(): number {
    return this.#o.maxBytes;
  }

  /** Segments on disk, oldest first. */
  segmentSeqs(): number[] {
    return this.#segments.map((s) => s.seq);
  }

  /** Appends one record; resolves once it is durable. Rejects with UNAVAILABLE naming the reason. */
  append(payload: Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(new UnavailableError('decision log', 'closed'));
    if (this.#unusable !== undefined) {
      return Promise.reject(new UnavailableError('decision log', this.#unusable));
    }
    const unshipped = this.unshippedBytes();
    if (unshipped >= this.#o.maxBytes) {
      return Promise.reject(
        new UnavailableError(
          'decision log',
          `${unshipped} bytes wait on disk to be shipped to the database, at the bound of ${this.#o.maxBytes} (DECISION_LOG_MAX_BYTES): the database is down or too slow`,
        ),
      );
    }
    const frame = encodeFrame(payload);
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ frame, resolve, reject });
      this.#flushing ??= this.#flushLoop();
    });
  }

  async #flushLoop(): Promise<void> {
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      const started = process.hrtime.bigint();
      try {
        await this.#writeGroup(Buffer.concat(group.map((w) => w.frame)));
      } catch (error) {
        const failure = new UnavailableError(
          'decision log',
          `cannot write ${this.#o.dir}: ${errorMessage(error)}`,
        );
        for (const w of group) w.reject(failure);
        continue;
      }
      this.#o.onGroupCommit?.(group.length, Number(process.hrtime.bigint() - started) / 1e9);
      for (const w of group) w.resolve();
    }
    // Cleared in the same tick as the last check of #pending, so an append never waits on a finished loop.
    this.#flushing = undefined;
  }

  async #writeGroup(bytes: Buffer): Promise<void> {
    const active = this.#active ?? (await this.#startSegment());
    const { segment, handle } = active;
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, null);
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      // What the failed write left is not trusted: cut the file back and continue in a new segment.
      await handle.truncate(segment.durable).catch(() => undefined);
      await this.#seal();
      throw error;
    }
    segment.durable += bytes.length;
    if (segment.durable >= this.#o.segmentBytes) await this.#seal();
  }

  async #startSegment(): Promise<{ segment: Segment; handle: FileHandle }> {
    await fs.promises.mkdir(this.#o.dir, { recursive: true });
    const seq = this.#nextSeq;
    this.#nextSeq += 1;
    const file = path.join(this.#o.dir, segmentFileName(seq));
    const handle = await fs.promises.open(file, 'a');
    try {
      await handle.write(SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, null);
      await handle.datasync();
      // The new file's directory entry must be durable too.
      const dir = await fs.promises.open(this.#o.dir, 'r');
      await dir.sync().finally(() => dir.close());
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fs.promises.unlink(file).catch(() => undefined);
      throw error;
    }
    const segment: Segment = { seq, file, durable: SEGMENT_MAGIC.length, sealed: false };
    this.#segments.push(segment);
    this.#active = { segment, handle };
    return this.#active;
  }

  async #seal(): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    if (active === undefined) return;
    active.segment.sealed = true;
    await active.handle.close().catch(() => undefined);
  }

  /**
   * Reads the durable records of the oldest segment at or after `seq` from `offset` (0 = its start).
   * Returns undefined when there is nothing to read.
   */
  async read(seq: number, offset: number): Promise<WalRead | undefined> {
    const segment = this.#segments.find((s) => s.seq >= seq);
    if (segment === undefined) return undefined;
    const from = segment.seq === seq ? Math.max(offset, SEGMENT_MAGIC.length) : SEGMENT_MAGIC.length;
    const sealed = segment.sealed;
    const durable = segment.durable;
    const length = Math.min(READ_CHUNK_BYTES, Math.max(0, durable - from));
    let bytes = Buffer.alloc(0);
    if (length > 0) {
      const handle = await fs.promises.open(segment.file, 'r');
      try {
        bytes = Buffer.alloc(length);
        const { bytesRead } = await handle.read(bytes, 0, length, from);
        bytes = bytes.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    }
    const decoded = decodeFrames(bytes, 0);
    const readToEnd = from + bytes.length >= durable;
    const end = from + decoded.end;
    // A sealed segment is finished when everything durable was read, or when what is left is a torn tail.
    const finished = sealed && (end >= durable || (readToEnd && decoded.tail !== undefined));
    return {
      seq: segment.seq,
      payloads: decoded.payloads,
      end,
      finished,
      tail: finished && end < durable ? decoded.tail : undefined,
    };
  }

  /** Everything before (`seq`, `offset`) is in the database: counts for the bound. */
  markShipped(seq: number, offset: number): void {
    this.#shipped = { seq, offset };
  }

  /** Deletes a sealed segment whose records are all in the database. */
  async release(seq: number): Promise<void> {
    const i = this.#segments.findIndex((s) => s.seq === seq && s.sealed);
    if (i < 0) return;
    const [segment] = this.#segments.splice(i, 1);
    await fs.promises.rm(segment!.file, { force: true });
  }

  /** Waits for the group being written, then closes the active segment (it is replayed next start). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#flushing;
    await this.#seal();
    if (this.#unusable === undefined) releaseDir(this.#o.dir);
  }

  /** Why appends cannot succeed at all, when they cannot (for health and logs). */
  get unusable(): string | undefined {
    return this.#unusable;
  }
}
