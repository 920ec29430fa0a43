import { crc32 } from 'node:zlib';

/** First bytes of every segment file: format name and version (docs/decision-log.md). */
export const SEGMENT_MAGIC = Buffer.from('TALLYDL1', 'latin1');
/** Bytes before each record's payload: payload length (u32 LE) and its CRC-32 (u32 LE). */
export const FRAME_HEADER_BYTES = 8;
/** Largest payload one frame may carry (a decision record is a few KiB). */
export const MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;

/** One record framed for the write-ahead file: length, CRC-32 of the payload, payload. */
export function encodeFrame(payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) {
    throw new Error(`decision record of ${payload.length} bytes exceeds ${MAX_FRAME_PAYLOAD} bytes`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** What reading the frames of a segment found. */
export interface DecodedFrames {
  /** Payloads of every whole frame whose checksum matched, in file order. */
  readonly payloads: Buffer[];
  /** Offset just past the last good frame. */
  readonly end: number;
  /** Why reading stopped before the end of `bytes` (a torn or corrupt tail); undefined when it did not. */
  readonly tail: string | undefined;
}

/**
 * Reads frames from `bytes` starting at `offset` until the end or the first frame that is incomplete
 * or fails its checksum (a write torn by a crash: never acknowledged, so nothing answered is lost).
 */
export function decodeFrames(bytes: Buffer, offset: number): DecodedFrames {
  const payloads: Buffer[] = [];
  let at = offset;
  while (at < bytes.length) {
    if (bytes.length - at < FRAME_HEADER_BYTES) {
      return { payloads, end: at, tail: `${bytes.length - at} bytes of an incomplete frame header` };
    }
    const length = bytes.readUInt32LE(at);
    const checksum = bytes.readUInt32LE(at + 4);
    if (length > MAX_FRAME_PAYLOAD || at + FRAME_HEADER_BYTES + length > bytes.length) {
      return { payloads, end: at, tail: `an incomplete frame at offset ${at} (length ${length})` };
    }
    const payload = bytes.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length);
    if (crc32(payload) !== checksum) {
      return { payloads, end: at, tail: `a frame failing its CRC-32 at offset ${at}` };
    }
    payloads.push(payload);
    at += FRAME_HEADER_BYTES + length;
  }
  return { payloads, end: at, tail: undefined };
}
