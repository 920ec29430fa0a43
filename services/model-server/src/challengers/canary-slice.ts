import { createHash } from 'node:crypto';

/**
 * Where an entity falls in [0, 1), from a SHA-256 of the model name and its entity key text: the same
 * entity always lands in the same place, so a canary of fraction f answers the same f of entities on
 * every call and every replica, and raising f only adds entities.
 */
export function canaryPoint(model: string, entityKey: string): number {
  const digest = createHash('sha256').update(`${model}\u0000${entityKey}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
