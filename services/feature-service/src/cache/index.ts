export { RowCache, StoreTimeoutError } from './row-cache';
export type { CachedRead, RowCacheOptions, RowLoader } from './row-cache';
