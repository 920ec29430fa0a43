/**
 * The messages of the cache-invalidation channel (docs/cache-invalidation.md): JSON on
 * `<prefix>.changed` (what changed) and `<prefix>.heartbeat` (who is alive).
 */

/** `name` (a feature view or an event source) changed for `keys` (entity keys in text form). */
export interface ChangeMessage {
  readonly replica: string;
  readonly name: string;
  readonly keys: readonly string[];
}

/** A replica is alive (sent every HEARTBEAT_INTERVAL_MS), or leaving (`bye`). */
export interface HeartbeatMessage {
  readonly replica: string;
  readonly bye?: boolean;
}

/** Largest payload of one change message; NATS refuses more than its max_payload (1 MiB by default). */
export const MAX_CHANGE_MESSAGE_BYTES = 256 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The change of `keys` as one or more messages, each under `maxBytes`. */
export function encodeChanges(
  replica: string,
  name: string,
  keys: readonly string[],
  maxBytes = MAX_CHANGE_MESSAGE_BYTES,
): Uint8Array[] {
  const messages: Uint8Array[] = [];
  const overhead = JSON.stringify({ replica, name, keys: [] }).length;
  let chunk: string[] = [];
  let size = overhead;
  const flush = () => {
    if (chunk.length === 0) return;
    messages.push(encoder.encode(JSON.stringify({ replica, name, keys: chunk } satisfies ChangeMessage)));
    chunk = [];
    size = overhead;
  };
  for (const key of keys) {
    const cost = Buffer.byteLength(JSON.stringify(key)) + 1;
    if (size + cost > maxBytes) flush();
    chunk.push(key);
    size += cost;
  }
  flush();
  return messages;
}

function parse(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(data));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A change message, or undefined when `data` is not one. */
export function decodeChange(data: Uint8Array): ChangeMessage | undefined {
  const m = parse(data);
  if (
    m === undefined ||
    typeof m.replica !== 'string' ||
    typeof m.name !== 'string' ||
    !Array.isArray(m.keys) ||
    !m.keys.every((k) => typeof k === 'string')
  )
    return undefined;
  return { replica: m.replica, name: m.name, keys: m.keys as string[] };
}

export function encodeHeartbeat(message: HeartbeatMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/** A heartbeat, or undefined when `data` is not one. */
export function decodeHeartbeat(data: Uint8Array): HeartbeatMessage | undefined {
  const m = parse(data);
  if (m === undefined || typeof m.replica !== 'string') return undefined;
  return m.bye === true ? { replica: m.replica, bye: true } : { replica: m.replica };
}
