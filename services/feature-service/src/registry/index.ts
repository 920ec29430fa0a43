export { loadRegistry, registryFiles, columnsOf } from './load-registry';
export { RegistryError } from './registry-error';
export { compileExpression, ExpressionError, EXPRESSION_FUNCTIONS } from './expression';
export type { CompiledExpression } from './expression';
export { parseDuration } from './duration';
export type * from './registry-types';
