import type { ChallengerConfig } from './challenger-config';

/** The `challenger` field of a model's ListModels status; nothing when the config has none. */
export function challengerStatus(config: ChallengerConfig | undefined): {
  challenger?: { version: string; mode: string; canaryFraction: number };
} {
  if (config === undefined) return {};
  return {
    challenger: { version: String(config.version), mode: config.mode, canaryFraction: config.canaryFraction },
  };
}
