/**
 * A load generator process (forked by the runner): receives one LoadSpec over IPC, drives it and
 * sends back every latency, the errors by code and its own CPU time, then exits.
 */
import { createCaller } from './callers';
import { driveLoad } from './drive-load';
import type { GeneratorReply, GeneratorRequest } from './load-spec';

function reply(message: GeneratorReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.once('message', (message: GeneratorRequest) => {
  void (async () => {
    const { spec, generatorIndex, generators } = message;
    const caller = createCaller(spec.target, spec.callTimeoutMs);
    try {
      // Generators start at different places in the key plan so they do not ask for the same keys.
      const keyCount = 'keys' in spec.target ? spec.target.keys.count : 0;
      const perCall = 'entitiesPerCall' in spec.target ? spec.target.entitiesPerCall : 1;
      const offset = Math.floor(keyCount / generators / perCall) * generatorIndex;
      const result = await driveLoad(spec, caller, offset);
      await reply({ type: 'done', result });
    } catch (err) {
      await reply({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    } finally {
      await caller.close();
      process.disconnect();
    }
  })();
});
