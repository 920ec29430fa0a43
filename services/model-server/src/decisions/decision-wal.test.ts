import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { TallyError } from '@tally/grpc-kit';
import { DecisionWal, segmentFileName } from './decision-wal';
import { SEGMENT_MAGIC } from './wal-frame';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-wal-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function open(options: Partial<{ segmentBytes: number; maxBytes: number; dir: string }> = {}): DecisionWal {
  return DecisionWal.open({ dir, segmentBytes: 1 << 20, maxBytes: 1 << 24, ...options });
}

/** Every payload of every segment from the start, as text. */
async function readAll(wal: DecisionWal): Promise<string[]> {
  const out: string[] = [];
  let seq = 0;
  let offset = 0;
  for (;;) {
    const read = await wal.read(seq, offset);
    if (read === undefined) return out;
    out.push(...read.payloads.map((p) => p.toString()));
    if (!read.finished) {
      if (read.payloads.length === 0) return out;
      offset = read.end;
      seq = read.seq;
    } else {
      seq = read.seq + 1;
      offset = 0;
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<TallyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TallyError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('DecisionWal', () => {
  it('makes concurrent appends durable in groups, in order, and reads them back', async () => {
    const commits: number[] = [];
    const wal = DecisionWal.open({
      dir,
      segmentBytes: 1 << 20,
      maxBytes: 1 << 24,
      onGroupCommit: (records) => commits.push(records),
    });
    await Promise.all(Array.from({ length: 200 }, (_, i) => wal.append(Buffer.from(`record ${i}`))));
    // Appends made while a group was being written share the next fdatasync.
    expect(commits.reduce((a, b) => a + b, 0)).toBe(200);
    expect(commits.length).toBeLessThan(200);
    expect(await readAll(wal)).toEqual(Array.from({ length: 200 }, (_, i) => `record ${i}`));
    await wal.close();
    // A new process finds the segment (sealed) and replays it whole.
    const again = open();
    expect(again.segmentSeqs()).toEqual([1]);
    expect(await readAll(again)).toHaveLength(200);
    await again.close();
  });

  it('seals segments at their size, deletes them once released, and counts unshipped bytes', async () => {
    const wal = open({ segmentBytes: 4096 });
    for (let i = 0; i < 100; i += 1) await wal.append(Buffer.alloc(200, 97));
    const seqs = wal.segmentSeqs();
    expect(seqs.length).toBeGreaterThan(3);
    const before = wal.unshippedBytes();
    expect(before).toBeGreaterThan(100 * 208);
    const first = await wal.read(0, 0);
    expect(first!.finished).toBe(true);
    wal.markShipped(first!.seq + 1, 0);
    await wal.release(first!.seq);
    expect(wal.segmentSeqs()).toEqual(seqs.slice(1));
    expect(wal.unshippedBytes()).toBeLessThan(before);
    expect(fs.existsSync(path.join(dir, segmentFileName(first!.seq)))).toBe(false);
    await wal.close();
  });

  it('tolerates a torn tail left by a crash: whole records are replayed, the torn one ignored', async () => {
    const wal = open();
    for (let i = 0; i < 5; i += 1) await wal.append(Buffer.from(`kept ${i}`));
    await wal.close();
    const file = path.join(dir, segmentFileName(1));
    // A crash in the middle of a write: a frame header and half a payload.
    const torn = Buffer.alloc(8 + 4);
    torn.writeUInt32LE(100, 0);
    fs.appendFileSync(file, torn);
    const again = open();
    const read = await again.read(0, 0);
    expect(read!.payloads.map(String)).toEqual(['kept 0', 'kept 1', 'kept 2', 'kept 3', 'kept 4']);
    expect(read!.finished).toBe(true);
    expect(read!.tail).toMatch(/incomplete frame/);
    // New records go to a new segment, never after the torn tail.
    await again.append(Buffer.from('after restart'));
    expect(again.segmentSeqs()).toEqual([1, 2]);
    expect((await again.read(2, 0))!.payloads.map(String)).toEqual(['after restart']);
    await again.close();
  });

  it('stops at a frame whose checksum fails', async () => {
    const wal = open();
    for (let i = 0; i < 3; i += 1) await wal.append(Buffer.from(`record ${i}`));
    await wal.close();
    const file = path.join(dir, segmentFileName(1));
    const bytes = fs.readFileSync(file);
    // Flip a byte of the last record's payload.
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const read = await open().read(0, 0);
    expect(read!.payloads.map(String)).toEqual(['record 0', 'record 1']);
    expect(read!.tail).toMatch(/CRC-32/);
  });

  it('refuses appends past its bound with UNAVAILABLE naming DECISION_LOG_MAX_BYTES', async () => {
    const wal = open({ maxBytes: 2000 });
    await wal.append(Buffer.alloc(1500));
    await wal.append(Buffer.alloc(600));
    const error = await failure(wal.append(Buffer.alloc(10)));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(error.message).toMatch(/DECISION_LOG_MAX_BYTES/);
    // Once shipped, there is room again.
    const read = await wal.read(0, 0);
    wal.markShipped(read!.seq, read!.end);
    await wal.append(Buffer.alloc(10));
    await wal.close();
  });

  it('answers UNAVAILABLE naming the reason when the disk is full (ENOSPC), and recovers', async () => {
    // /dev/full fails every write with ENOSPC: the first segment is made to land on it.
    fs.symlinkSync('/dev/full', path.join(dir, segmentFileName(1)));
    const wal = open();
    fs.rmSync(path.join(dir, segmentFileName(1)));
    fs.symlinkSync('/dev/full', path.join(dir, segmentFileName(2)));
    const error = await failure(wal.append(Buffer.from('lost?')));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(error.message).toMatch(/decision log unavailable: cannot write .*ENOSPC/);
    // The disk has room again: the next append goes to a new segment.
    await wal.append(Buffer.from('kept'));
    const seqs = wal.segmentSeqs();
    expect((await wal.read(seqs.at(-1)!, 0))!.payloads.map(String)).toEqual(['kept']);
    await wal.close();
  });

  it('answers UNAVAILABLE when its folder cannot be created', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const wal = open({ dir: path.join(file, 'decisions') });
    const error = await failure(wal.append(Buffer.from('x')));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(error.message).toMatch(/cannot use .*a-file\/decisions: ENOTDIR/);
    await wal.close();
  });

  it('refuses a folder another live process holds', async () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), `${process.ppid}\n`);
    const error = await failure(open().append(Buffer.from('x')));
    expect(error.message).toMatch(new RegExp(`in use by process ${process.ppid}`));
    // A lock left by a process that is gone is taken over.
    fs.writeFileSync(path.join(dir, 'LOCK'), '999999999\n');
    const wal = open();
    await wal.append(Buffer.from('x'));
    await wal.close();
  });

  it('starts every segment with the format magic', async () => {
    const wal = open();
    await wal.append(Buffer.from('x'));
    await wal.close();
    expect(fs.readFileSync(path.join(dir, segmentFileName(1))).subarray(0, 8)).toEqual(SEGMENT_MAGIC);
  });
});
