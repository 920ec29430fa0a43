import { codeDelta, counterTotal, parseCodeCounts } from './server-codes';

const METRICS = `# HELP tally_rpc_duration_seconds Server-side duration of unary RPCs, by method and gRPC status code.
# TYPE tally_rpc_duration_seconds histogram
tally_rpc_duration_seconds_bucket{le="0.0001",method="Score",code="OK",service="model-server"} 3
tally_rpc_duration_seconds_count{method="Score",code="OK",service="model-server"} 10
tally_rpc_duration_seconds_count{method="ModelInfer",code="OK",service="model-server"} 5
tally_rpc_duration_seconds_count{method="Score",code="DEADLINE_EXCEEDED",service="model-server"} 2
`;

describe('server codes', () => {
  it('sums every method’s call count by gRPC status', () => {
    expect(parseCodeCounts(METRICS)).toEqual({ OK: 15, DEADLINE_EXCEEDED: 2 });
  });

  it('keeps only the codes that moved', () => {
    expect(codeDelta({ OK: 15, UNAVAILABLE: 1 }, { OK: 40, UNAVAILABLE: 1, INTERNAL: 3 })).toEqual({
      OK: 25,
      INTERNAL: 3,
    });
  });

  it('sums a counter over its series', () => {
    const text =
      'tally_inference_batches_total{model="a",version="1"} 4\ntally_inference_batches_total{model="b",version="1"} 6\ntally_inference_batches_total_created 1\n';
    expect(counterTotal(text, 'tally_inference_batches_total')).toBe(10);
  });
});
