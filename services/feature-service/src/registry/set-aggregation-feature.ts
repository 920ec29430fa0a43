import type { Fields } from './registry-fields';
import type { Entity, EventSource, SetFeature } from './registry-types';

type AggregationSetFeature = Extract<SetFeature, { source: 'aggregation' }>;

/** Resolves `<event source>.<feature>` in a feature set's `features[i]` (`field`). */
export function aggregationFeature(
  f: Fields,
  field: string,
  eventSource: EventSource,
  featureName: string,
  setEntities: readonly Entity[],
): AggregationSetFeature {
  const aggregation = eventSource.aggregations.find((a) => a.name === featureName);
  if (aggregation === undefined) {
    const known = eventSource.aggregations.map((a) => a.name).join(', ');
    throw f.error(
      field,
      `event source '${eventSource.name}' has no aggregation feature '${featureName}' (declared: ${known})`,
    );
  }
  if (!setEntities.some((e) => e.name === eventSource.entity.name)) {
    throw f.error(
      field,
      `event source '${eventSource.name}' is keyed by entity '${eventSource.entity.name}', which is not in entities`,
    );
  }
  return { source: 'aggregation', name: featureName, eventSource, aggregation };
}

/** What of an aggregation feature changes the values a model sees (part of the set's fingerprint). */
export function aggregationFingerprint(x: AggregationSetFeature): unknown[] {
  const a = x.aggregation;
  return [
    x.source,
    x.name,
    x.eventSource.name,
    a.function,
    a.series.id,
    a.windowMs,
    a.tileMs,
    a.type,
    a.default,
  ];
}
