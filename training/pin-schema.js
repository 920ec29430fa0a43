// Writes the schema a model version is trained on (schema.json beside its model.onnx): the feature
// set as the feature-service describes it (DescribeFeatureSet), column by column, with its
// fingerprint. It runs the services' own built code (run `pnpm run typecheck`, i.e. `tsc -b`, first):
// the feature-service's registry loader computes the fingerprint, and the model-server's schema-pin
// module writes the exact form the model-server compares at load. Called by training/schema_pin.py.
//
// node training/pin-schema.js <registry folder or file> <feature set> <schema.json> [<schema.json> …]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const built = (file) => {
  const full = path.join(ROOT, file);
  if (!fs.existsSync(full))
    throw new Error(`${full} is missing: build the services first (pnpm run typecheck)`);
  return require(full);
};

function main() {
  const [registryPath, featureSet, ...outputs] = process.argv.slice(2);
  if (!registryPath || !featureSet || outputs.length === 0) {
    throw new Error('usage: node training/pin-schema.js <registry> <feature set> <schema.json> [...]');
  }
  const { loadRegistry } = built('services/feature-service/dist/registry/index.js');
  const { describeFeatureSet } = built('services/feature-service/dist/handlers/describe-feature-sets.js');
  const { pinnedSchemaOf, formatPinnedSchema } = built('services/model-server/dist/serving/schema-pin.js');
  const described = describeFeatureSet(loadRegistry(path.resolve(registryPath)), featureSet).featureSet;
  const text = formatPinnedSchema(pinnedSchemaOf(described));
  for (const out of outputs) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.tmp`, text);
    fs.renameSync(`${out}.tmp`, out);
  }
  const pinned = JSON.parse(text);
  process.stdout.write(
    `${JSON.stringify({ feature_set: pinned.feature_set, fingerprint: pinned.fingerprint, columns: pinned.columns.length })}\n`,
  );
}

try {
  main();
} catch (err) {
  process.stderr.write(`pin-schema: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
