import type { common, feature, model } from '@tally/contracts';
import { activeTraceIds } from '@tally/telemetry';
import { decisionRecord } from './decision-record';
import type { DecisionRecord } from './decision-record';

type ValueMap = Record<string, common.Value__Output>;

/** What Score needs from the decision log: make records durable before answering. */
export interface DecisionRecorder {
  record(records: readonly DecisionRecord[]): Promise<void>;
}

/** One answered item of a Score or ScoreBatch call, as the scoring code has it. */
export interface AnsweredDecision {
  readonly entityKeys: ValueMap;
  readonly context: ValueMap;
  readonly vector: feature.FeatureVector__Output;
  /** The model's input row for this decision. */
  readonly values: ArrayLike<number>;
  readonly response: model.ScoreResponse;
}

/**
 * Records the served decisions of one call, asked by `caller` (the identity authorization knows;
 * '' when the server identifies no callers) (and returns once they are durable). Without a recorder
 * (DECISION_LOG_ENABLED=false) it does nothing.
 */
export async function recordDecisions(
  recorder: DecisionRecorder | undefined,
  caller: string,
  columns: readonly string[],
  answered: readonly AnsweredDecision[],
): Promise<void> {
  if (recorder === undefined) return;
  const traceId = activeTraceIds()?.trace_id ?? '';
  const now = Date.now();
  await recorder.record(
    answered.map((a) =>
      decisionRecord(
        {
          role: 'served',
          caller,
          traceId,
          entityKeys: a.entityKeys,
          context: a.context,
          columns,
          vector: a.vector,
          values: a.values,
          response: a.response,
        },
        now,
      ),
    ),
  );
}
