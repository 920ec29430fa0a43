export { assembleVector, STATUS } from './assemble-vector';
export type { AssembledVector, StatusCode, ViewRows } from './assemble-vector';
export { parseVectorRequest } from './vector-request';
export type { ParsedEntity } from './vector-request';
export { readKey, readTyped, toValue, isNullValue, MAX_TEXT_LENGTH } from './typed-values';
export { aggregateValue, groupTiles, tileRangesFor } from './aggregate-values';
export type { AggregateValue, SourceTiles } from './aggregate-values';
