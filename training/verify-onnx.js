// Runs an exported model with onnxruntime-node (the runtime the model-server uses) on a float32 matrix
// and compares P(bad) with the trainer's predict_proba. Called by train.py; prints one JSON line.
//
// node training/verify-onnx.js <model.onnx> <matrix.f32> <rows> <width> <expected.f64>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ort = require(
  path.join(__dirname, '..', 'services', 'model-server', 'node_modules', 'onnxruntime-node'),
);

function readTyped(file, Type) {
  const bytes = fs.readFileSync(file);
  return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function main() {
  const [modelPath, matrixPath, rowsText, widthText, expectedPath] = process.argv.slice(2);
  const rows = Number(rowsText);
  const width = Number(widthText);
  const matrix = readTyped(matrixPath, Float32Array);
  const expected = readTyped(expectedPath, Float64Array);
  if (matrix.length !== rows * width || expected.length !== rows) {
    throw new Error(`sizes do not match: matrix ${matrix.length}, expected ${expected.length}, rows ${rows}`);
  }
  const session = await ort.InferenceSession.create(modelPath);
  const probabilitiesOf = async (start, count) => {
    const input = new ort.Tensor('float32', matrix.subarray(start * width, (start + count) * width), [
      count,
      width,
    ]);
    const output = await session.run({ features: input });
    const probabilities = output.probabilities;
    if (probabilities.dims.length !== 2 || probabilities.dims[0] !== count || probabilities.dims[1] !== 2) {
      throw new Error(`probabilities has dims [${probabilities.dims.join(', ')}], expected [${count}, 2]`);
    }
    return probabilities.data;
  };

  let maxAbsDiff = 0;
  let worstRow = -1;
  let maxRowSumError = 0;
  const compare = (data, start, count) => {
    for (let i = 0; i < count; i += 1) {
      const diff = Math.abs(data[i * 2 + 1] - expected[start + i]);
      if (!(diff <= maxAbsDiff)) {
        maxAbsDiff = Number.isNaN(diff) ? Infinity : diff;
        worstRow = start + i;
      }
      maxRowSumError = Math.max(maxRowSumError, Math.abs(data[i * 2] + data[i * 2 + 1] - 1));
    }
  };
  // One batch of every row, then every row alone: the batcher may run any batch size.
  compare(await probabilitiesOf(0, rows), 0, rows);
  for (let start = 0; start < rows; start += 1) compare(await probabilitiesOf(start, 1), start, 1);

  console.log(
    JSON.stringify({
      model: modelPath,
      inputs: session.inputNames,
      outputs: session.outputNames,
      rows,
      maxAbsDiff,
      worstRow,
      maxRowSumError,
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
