import type { feature } from '@tally/contracts';
import { UnavailableError, remainingMs } from '@tally/grpc-kit';
import type { CallContext } from '@tally/grpc-kit';
import type { EventInput, EventWriter } from '../events';

/** Longest a write waits for the store when the caller set no deadline. */
const WRITE_TIMEOUT_WITHOUT_DEADLINE_MS = 30000;

/** The RPC's events in the EventWriter's shape (the one path shared with the stream consumers). */
function toInputs(events: readonly feature.Event__Output[]): EventInput[] {
  return events.map((e) => ({
    eventId: e.eventId,
    eventTimeMs: Number(e.eventTimeUnixMs),
    keys: e.keys ?? {},
    fields: e.fields ?? {},
  }));
}

export async function writeEvents(
  writer: EventWriter,
  request: feature.WriteEventsRequest__Output,
  ctx: CallContext,
): Promise<feature.WriteEventsResponse> {
  const remaining = remainingMs(ctx);
  const waitMs =
    remaining === Infinity
      ? WRITE_TIMEOUT_WITHOUT_DEADLINE_MS
      : Math.max(1, remaining - Math.min(50, remaining * 0.2));
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new UnavailableError(
          writer.storeName,
          `the write did not finish within ${Math.round(waitMs)} ms (it commits whole or not at all; a retry is deduplicated by event id)`,
        ),
      ),
    waitMs,
  );
  try {
    const result = await writer.write(request.source, toInputs(request.events), controller.signal);
    return { eventsWritten: result.written, eventsDuplicate: result.duplicates };
  } finally {
    clearTimeout(timer);
  }
}
