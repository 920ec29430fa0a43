import type { Options } from '@grpc/proto-loader';

/**
 * Runtime load options. They must match the flags in scripts/generate.js exactly, or the generated
 * types would describe objects of another shape than the ones grpc-js hands us.
 */
export const LOAD_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};
