import { FailedPreconditionError } from '@tally/grpc-kit';
import type { feature } from '@tally/contracts';
import type { ServingModel } from '../serving/serving-model';

/**
 * Checks what the feature-service sent against the model that will score it and packs the vectors
 * into the model's [rows, width] float32 input. A schema that no longer matches the model is
 * FAILED_PRECONDITION (the deployment is inconsistent: reload or fix); a malformed answer or a
 * non-finite value is a bug in the feature-service and fails as INTERNAL. Never a score.
 */
export function packFeatureVectors(
  response: feature.GetFeatureVectorsResponse__Output,
  serving: ServingModel,
  entities: number,
): Float32Array {
  const label = `model ${serving.name}/${serving.version}`;
  const featureSet = serving.config.featureSet;
  if (response.featureSet !== featureSet) {
    throw new FailedPreconditionError(
      `${label} consumes feature set '${featureSet}' but the feature-service answered for '${response.featureSet}'`,
    );
  }
  if (response.columns.length !== serving.width) {
    throw new FailedPreconditionError(
      `feature set '${featureSet}' has ${response.columns.length} columns at the feature-service but ${label} takes ${serving.width}: the model and its feature set no longer match (fix the feature set or load a matching model version)`,
    );
  }
  const expected = serving.featureSetFingerprint;
  if (expected !== undefined && response.featureSetFingerprint !== expected) {
    throw new FailedPreconditionError(
      `feature set '${featureSet}' changed since ${label} was loaded (fingerprint ${expected}, now ${response.featureSetFingerprint || 'none'}): reload the model (LoadModel) once it is known to fit the new definition`,
    );
  }
  if (response.vectors.length !== entities) {
    throw new Error(
      `the feature-service returned ${response.vectors.length} vectors for ${entities} entities`,
    );
  }
  const width = serving.width;
  const rows = new Float32Array(entities * width);
  response.vectors.forEach((vector, i) => {
    if (vector.values.length !== width || vector.statuses.length !== width) {
      throw new Error(
        `the feature-service returned vector ${i} with ${vector.values.length} values and ${vector.statuses.length} statuses; feature set '${featureSet}' has ${width} columns`,
      );
    }
    for (let c = 0; c < width; c += 1) {
      const value = vector.values[c]!;
      if (!Number.isFinite(value)) {
        throw new Error(
          `the feature-service returned ${value} for column '${response.columns[c]}' of entity ${i} (feature set '${featureSet}'); refusing to score a non-finite feature`,
        );
      }
      rows[i * width + c] = value;
    }
  });
  return rows;
}
