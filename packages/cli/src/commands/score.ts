import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { TallyClientError, createTallyClient } from '@tally/client';
import type { PlainValue } from '@tally/client';
import type { model } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { parseAssignments, parseNumberFlag } from '../command-values';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOptions } from '../connection-flags';
import { reasonLines, reasonsJson, signed } from '../reason-lines';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';

export const DEFAULT_MODEL_SERVER = '127.0.0.1:50052';

export const SCORE_USAGE = `tally score --model NAME (--applicant ID | --key NAME=VALUE …)
            [--amount DOLLARS] [--term MONTHS] [--int-rate PERCENT] [--sub-grade GRADE] [--context NAME=VALUE …]
            [--version V] [--request-id ID] [--reasons] [--show-features] [--address HOST:PORT] [--timeout MS]
            [--json] [--tls] [--tls-ca FILE] [--tls-cert FILE --tls-key FILE] [--tls-server-name NAME]
            [--token-file FILE]

Scores one decision through the model-server's Score API: the model-server fetches the model's feature
set for the entity and the request context from the feature-service, and runs the model. Prints the
score (for credit_risk: the probability of default), the model version that answered, the request id,
every feature whose value was not present (defaulted or stale), and the model's decision policy: met,
or FLAGGED with what was not met (a model whose policy says on_violation: flag answers anyway). With
--reasons, also the reason codes that raised the score most (the model config's reason map), each with
its contribution.

  --model          model name, e.g. credit_risk
  --version        model version; default: the newest ready version
  --applicant      the applicant's id (the join key applicant_id)
  --key            any entity join key, NAME=VALUE (repeatable)
  --amount         context 'amount': amount to borrow, dollars
  --term           context 'term': loan term in months (36 or 60)
  --int-rate       context 'int_rate': annual interest rate offered, percent (e.g. 13.99)
  --sub-grade      context 'sub_grade': the lender's risk sub-grade of the offer, A1 … G5
  --context        any request-context field, NAME=VALUE (repeatable)
  --request-id     your id for this decision (default: the server makes one)
  --reasons        also print the reasons (adverse-action reason codes) that raised the score most
  --show-features  also print the feature vector the model saw (with --reasons: each column's contribution)
  --address        model-server address (default ${DEFAULT_MODEL_SERVER})
  --timeout        deadline of the call in ms (default 5000)
  --json           print the response as JSON

${CONNECTION_USAGE}

credit_risk requires all four context fields; the CLI invents none of them (a made-up rate or grade
would change the score). Numbers are sent as int64 when whole and double otherwise; the
feature-service accepts either for a float field.

Exit status: 0 scored (also when the score is FLAGGED by the model's decision policy: check the
'policy' line, or policyVerdict with --json), 1 failure (unknown model, service unreachable, …),
2 usage error (including a context field the model's feature set requires that was not given),
3 refused by the model's decision policy (e.g. credit_risk refuses an applicant the store does not
hold: its stored features would all be defaults); the message names the features.`;

/** The context flags of the demo credit model, and the context field each one sets. */
const CONTEXT_FLAGS = {
  amount: { field: 'amount', integer: false },
  term: { field: 'term', integer: true },
  'int-rate': { field: 'int_rate', integer: false },
} as const;

interface ScoreOptions {
  model: string;
  version: string;
  entityKeys: Record<string, PlainValue>;
  context: Record<string, PlainValue>;
  requestId: string;
  showFeatures: boolean;
  reasons: boolean;
  address: string;
  timeoutMs: number;
  json: boolean;
  connection: ReturnType<typeof connectionOptions>;
}

function parseScoreArgs(args: string[]): ScoreOptions {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      version: { type: 'string', default: '' },
      applicant: { type: 'string' },
      key: { type: 'string', multiple: true, default: [] },
      amount: { type: 'string' },
      term: { type: 'string' },
      'int-rate': { type: 'string' },
      'sub-grade': { type: 'string' },
      context: { type: 'string', multiple: true, default: [] },
      'request-id': { type: 'string', default: '' },
      'show-features': { type: 'boolean', default: false },
      reasons: { type: 'boolean', default: false },
      address: { type: 'string', default: DEFAULT_MODEL_SERVER },
      timeout: { type: 'string', default: '5000' },
      json: { type: 'boolean', default: false },
      ...CONNECTION_FLAGS,
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required');
  const entityKeys = parseAssignments('key', values.key!);
  if (values.applicant !== undefined) {
    if ('applicant_id' in entityKeys)
      throw new UsageError('give --applicant or --key applicant_id=…, not both');
    entityKeys.applicant_id = parseNumberFlag('applicant', values.applicant, { integer: true });
  }
  if (Object.keys(entityKeys).length === 0) throw new UsageError('give --applicant ID (or --key NAME=VALUE)');
  const context = parseAssignments('context', values.context!);
  const setContext = (flag: string, field: string, value: PlainValue) => {
    if (field in context) throw new UsageError(`give --${flag} or --context ${field}=…, not both`);
    context[field] = value;
  };
  for (const [flag, { field, integer }] of Object.entries(CONTEXT_FLAGS)) {
    const text = values[flag as keyof typeof CONTEXT_FLAGS];
    if (text !== undefined) setContext(flag, field, parseNumberFlag(flag, text, { integer }));
  }
  if (values['sub-grade'] !== undefined) setContext('sub-grade', 'sub_grade', values['sub-grade']);
  const timeoutMs = parseNumberFlag('timeout', values.timeout!, { integer: true });
  if (timeoutMs < 1) throw new UsageError('--timeout: expected a positive number of ms');
  return {
    model: values.model,
    version: values.version!,
    entityKeys,
    context,
    requestId: values['request-id']!,
    showFeatures: values['show-features']!,
    reasons: values.reasons!,
    address: values.address!,
    timeoutMs,
    json: values.json!,
    connection: connectionOptions(values),
  };
}

/** The flag that sets a context field, for the hint after "required by feature set …". */
function flagFor(field: string): string {
  const flag = Object.entries(CONTEXT_FLAGS).find(([, f]) => f.field === field)?.[0];
  if (flag !== undefined) return `--${flag}`;
  return field === 'sub_grade' ? '--sub-grade' : `--context ${field}=VALUE`;
}

/** A failed Score as the one line the user sees (and its exit status). */
function scoreFailure(err: unknown, options: ScoreOptions): CommandFailure {
  const target = { service: 'model-server', address: options.address } as const;
  const failure = TallyClientError.from(err, '');
  const missing = /context\.([A-Za-z0-9_]+): required by feature set '([^']+)'/.exec(failure.details);
  if (failure.code === status.INVALID_ARGUMENT && missing !== null) {
    return new CommandFailure(
      `context '${missing[1]}' is required by feature set '${missing[2]}': give it with ${flagFor(missing[1]!)}`,
      2,
    );
  }
  if (failure.code === status.FAILED_PRECONDITION && /the decision policy of model /.test(failure.details)) {
    return new CommandFailure(`refused: ${failure.details}`, 3);
  }
  return new CommandFailure(describeCallFailure(err, target));
}

/** A ScoreResponse as plain JSON (what `--json` prints). */
export function scoreResultJson(res: model.ScoreResponse__Output): Record<string, unknown> {
  return {
    score: res.score,
    model: res.model,
    version: res.version,
    requestId: res.requestId,
    featureSet: res.featureSet,
    featureSetFingerprint: res.featureSetFingerprint,
    featureIssues: res.featureIssues.map((i) => ({ column: i.column, status: i.status })),
    policyVerdict: res.policyVerdict,
    policyViolations: res.policyViolations,
    decisionPolicy: res.decisionPolicy,
    timingUs: {
      features: Number(res.timing?.featuresUs ?? 0),
      queue: Number(res.timing?.queueUs ?? 0),
      compute: Number(res.timing?.computeUs ?? 0),
      total: Number(res.timing?.totalUs ?? 0),
    },
    ...(res.explanation ? reasonsJson(res.reasons, res.explanation) : {}),
    ...(res.columns.length > 0
      ? {
          features: res.columns.map((column, i) => ({
            column,
            value: res.featureValues[i],
            status: res.featureStatuses[i],
            ...(res.explanation?.contributions.length
              ? { contribution: res.explanation.contributions[i] }
              : {}),
          })),
        }
      : {}),
  };
}

const ms = (us: number | string | undefined) => `${(Number(us ?? 0) / 1000).toFixed(2)} ms`;
const shortStatus = (name: string) => name.replace(/^FEATURE_STATUS_/, '');

/** The decision policy's verdict in one line (the violations follow on their own lines). */
function policyText(res: model.ScoreResponse__Output): string {
  const policy = res.decisionPolicy === '' ? 'the model declares no decision policy' : res.decisionPolicy;
  switch (res.policyVerdict) {
    case 'POLICY_VERDICT_MET':
      return `met (${policy})`;
    case 'POLICY_VERDICT_FLAGGED':
      return `FLAGGED: not met, answered because the policy says so (${policy}):`;
    default:
      return 'unknown (the model-server reported no verdict)';
  }
}

export function scoreText(res: model.ScoreResponse__Output): string {
  const issues = res.featureIssues;
  const rows: Array<[string, string]> = [
    ['probability', res.score.toFixed(6)],
    ['model', `${res.model} version ${res.version} (feature set ${res.featureSet})`],
    ['request id', res.requestId],
    ['features', issues.length === 0 ? 'all features present' : `${issues.length} not present:`],
    ['policy', policyText(res)],
    [
      'time',
      `${ms(res.timing?.totalUs)} in the model-server (features ${ms(res.timing?.featuresUs)}, ` +
        `queue ${ms(res.timing?.queueUs)}, compute ${ms(res.timing?.computeUs)})`,
    ],
  ];
  const lines = rows.map(([label, text]) => `${label.padEnd(12)} ${text}`);
  const byStatus = new Map<string, string[]>();
  for (const issue of issues) {
    const status = shortStatus(issue.status);
    byStatus.set(status, [...(byStatus.get(status) ?? []), issue.column]);
  }
  const issueLines = [...byStatus].map(
    ([status, columns]) => `${' '.repeat(13)}${status}: ${columns.join(', ')}`,
  );
  lines.splice(5, 0, ...res.policyViolations.map((v) => `${' '.repeat(13)}${v}`));
  lines.splice(4, 0, ...issueLines);
  if (res.explanation) lines.push(...reasonLines(res.reasons, res.explanation));
  if (res.columns.length > 0) {
    const contributions = res.explanation?.contributions ?? [];
    const withContributions = contributions.length === res.columns.length;
    lines.push(
      '',
      textTable(
        ['COLUMN', 'VALUE', 'STATUS', ...(withContributions ? ['CONTRIBUTION'] : [])],
        res.columns.map((column, i) => [
          column,
          String(res.featureValues[i]),
          shortStatus(res.featureStatuses[i] ?? ''),
          ...(withContributions ? [signed(contributions[i]!)] : []),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/** Runs `tally score`; returns the process exit status. */
export async function runScore(args: string[]): Promise<number> {
  const options = parseScoreArgs(args);
  const client = createTallyClient({ modelServer: options.address, options: options.connection });
  try {
    const res = await client.score(
      {
        model: options.model,
        version: options.version,
        entityKeys: options.entityKeys,
        context: options.context,
        requestId: options.requestId,
        includeFeatures: options.showFeatures,
        includeReasons: options.reasons,
      },
      { deadlineMs: options.timeoutMs },
    );
    process.stdout.write(`${options.json ? JSON.stringify(scoreResultJson(res)) : scoreText(res)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message); // a value the client cannot send
    throw scoreFailure(err, options);
  } finally {
    client.close();
  }
}
