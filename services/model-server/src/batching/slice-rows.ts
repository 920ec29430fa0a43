import type { OutputTensor } from '../inference/worker-protocol';

/** One request's rows of each output (outputs are [batchRows, ...]); a view, not a copy. */
export function sliceRows(
  outputs: OutputTensor[],
  offset: number,
  rows: number,
  batchRows: number,
): OutputTensor[] {
  return outputs.map((o) => {
    if (o.dims.length === 0 || o.dims[0] !== batchRows) {
      throw new Error(
        `output ${o.name} has shape [${o.dims.join(', ')}], not [${batchRows}, ...]: cannot split the batch`,
      );
    }
    const perRow = o.dims.slice(1).reduce((a, b) => a * b, 1);
    return {
      name: o.name,
      type: o.type,
      dims: [rows, ...o.dims.slice(1)],
      data: o.data.subarray(offset * perRow, (offset + rows) * perRow) as OutputTensor['data'],
    };
  });
}
