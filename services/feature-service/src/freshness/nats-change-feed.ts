import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '@tally/grpc-kit';
import { keyText } from '../store';
import type { EntityKey } from '../store';
import { DEGRADED_MAX_ENTRY_AGE_MS } from './change-feed';
import type { InvalidationTarget, ReplicaChangeFeed } from './change-feed';
import { decodeChange, decodeHeartbeat, encodeChanges, encodeHeartbeat } from './change-messages';
import type { FreshnessMetrics } from './freshness-metrics';
import { PeerClock } from './peer-clock';

/** Every replica says it is alive this often. */
export const HEARTBEAT_INTERVAL_MS = 200;
/** A replica not heard for this long makes the others degraded. */
export const PEER_STALE_MS = 600;
/** A replica not heard for this long (it crashed) is forgotten; the others leave degraded mode then. */
export const PEER_FORGET_MS = 10_000;

export interface NatsChangeFeedOptions {
  /** nats://host:port, or several separated by commas. */
  readonly servers: string;
  /** Subjects are `<prefix>.changed` and `<prefix>.heartbeat`. */
  readonly subjectPrefix: string;
  readonly logger: Logger;
  readonly metrics?: FreshnessMetrics;
}

/**
 * Cross-replica cache invalidation over NATS core pub/sub (docs/cache-invalidation.md). A replica
 * that committed a write invalidates its own cache at once and publishes the changed keys; every
 * replica drops them on receipt. Each replica also publishes a heartbeat every 200 ms; while this
 * replica is disconnected, or has not heard itself or a known peer within 600 ms, it is *degraded*:
 * it serves no cached entry whose store read started more than 750 ms ago. When it leaves degraded
 * mode it clears the whole cache, since invalidations may have been missed meanwhile.
 */
export class NatsChangeFeed implements ReplicaChangeFeed {
  readonly replica = randomUUID();
  readonly #options: NatsChangeFeedOptions;
  readonly #targets: InvalidationTarget[] = [];
  readonly #clock = new PeerClock(this.replica, PEER_STALE_MS, PEER_FORGET_MS);
  readonly #timer: NodeJS.Timeout;
  #connection: NatsConnection | undefined;
  #connected = false;
  /** Set while degraded: the cache must be cleared before it is trusted again. */
  #mustClear = true;
  #closed = false;

  private constructor(options: NatsChangeFeedOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.#tick(), HEARTBEAT_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Starts connecting in the background (a NATS outage never stops the service from starting). */
  static start(options: NatsChangeFeedOptions): NatsChangeFeed {
    const feed = new NatsChangeFeed(options);
    feed
      .#connect()
      .catch((err: unknown) =>
        options.logger.error('cache invalidation channel failed', { err: String(err) }),
      );
    return feed;
  }

  get subjects(): { changed: string; heartbeat: string } {
    return {
      changed: `${this.#options.subjectPrefix}.changed`,
      heartbeat: `${this.#options.subjectPrefix}.heartbeat`,
    };
  }

  addTarget(target: InvalidationTarget): void {
    this.#targets.push(target);
  }

  published(name: string, keys: readonly EntityKey[]): void {
    const texts = keys.map((key) => keyText(key));
    for (const target of this.#targets) target.invalidateKeys(name, texts);
    this.#options.metrics?.invalidatedKeys.inc({ origin: 'local' }, texts.length);
    const connection = this.#connection;
    if (connection === undefined || connection.isClosed()) return; // the others are degraded then
    try {
      // Published while reconnecting, this is buffered by the client and sent after the reconnect.
      for (const data of encodeChanges(this.replica, name, texts))
        connection.publish(this.subjects.changed, data);
    } catch (err) {
      this.#options.logger.warn('cache invalidation not published', { name, err: String(err) });
    }
  }

  maxEntryAgeMs(): number {
    if (!this.#isFresh()) {
      this.#mustClear = true;
      return DEGRADED_MAX_ENTRY_AGE_MS;
    }
    if (this.#mustClear) this.#clearTargets();
    return Infinity;
  }

  /** True while every invalidation published by a known replica is known to have arrived. */
  #isFresh(): boolean {
    return this.#connected && this.#clock.allFresh(performance.now());
  }

  #clearTargets(): void {
    this.#mustClear = false;
    for (const target of this.#targets) target.clear();
    this.#options.metrics?.cacheClears.inc();
  }

  async #connect(): Promise<void> {
    const { logger } = this.#options;
    const connection = await connect({
      servers: this.#options.servers.split(',').map((s) => s.trim()),
      name: `feature-service cache ${this.replica}`,
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 2000,
      maxPingOut: 2,
    });
    if (this.#closed) {
      await connection.close();
      return;
    }
    this.#connection = connection;
    this.#subscribe(connection);
    this.#connected = true;
    logger.info('cache invalidation channel connected', {
      server: connection.getServer(),
      subjects: this.subjects,
      replica: this.replica,
    });
    this.#heartbeat();
    void this.#watch(connection);
  }

  #subscribe(connection: NatsConnection): Subscription[] {
    return [
      connection.subscribe(this.subjects.changed, {
        callback: (err, msg) => {
          if (err) return;
          const change = decodeChange(msg.data);
          if (change === undefined) {
            // Something changed but we cannot tell what: forget everything rather than serve it stale.
            this.#options.logger.warn('malformed cache invalidation: clearing the cache', {
              subject: msg.subject,
            });
            this.#clearTargets();
            return;
          }
          if (change.replica === this.replica) return; // invalidated locally already
          for (const target of this.#targets) target.invalidateKeys(change.name, change.keys);
          this.#options.metrics?.invalidatedKeys.inc({ origin: 'remote' }, change.keys.length);
        },
      }),
      connection.subscribe(this.subjects.heartbeat, {
        callback: (err, msg) => {
          if (err) return;
          const beat = decodeHeartbeat(msg.data);
          if (beat === undefined) return;
          if (beat.bye) this.#clock.left(beat.replica);
          else this.#clock.heard(beat.replica, performance.now());
        },
      }),
    ];
  }

  async #watch(connection: NatsConnection): Promise<void> {
    const { logger } = this.#options;
    for await (const status of connection.status()) {
      switch (status.type) {
        case 'disconnect':
          this.#connected = false;
          this.#mustClear = true;
          this.#clock.reset();
          logger.warn('cache invalidation channel disconnected: cached entries now live at most 750 ms', {
            server: status.server,
          });
          break;
        case 'reconnect':
          this.#mustClear = true;
          this.#clock.reset();
          this.#connected = true;
          this.#heartbeat();
          logger.info('cache invalidation channel reconnected: the cache is cleared', {
            server: status.server,
          });
          break;
        default:
          break;
      }
    }
  }

  #heartbeat(): void {
    const connection = this.#connection;
    if (!this.#connected || connection === undefined || connection.isClosed()) return;
    try {
      connection.publish(this.subjects.heartbeat, encodeHeartbeat({ replica: this.replica }));
    } catch {
      // closed meanwhile; the status watcher reports it
    }
  }

  #tick(): void {
    this.#heartbeat();
    const fresh = this.#isFresh();
    if (!fresh) this.#mustClear = true;
    else if (this.#mustClear) this.#clearTargets();
    this.#options.metrics?.channelFresh.set(fresh ? 1 : 0);
  }

  /** Says goodbye (so the others do not wait for this replica) and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    const connection = this.#connection;
    if (connection === undefined || connection.isClosed()) return;
    try {
      connection.publish(this.subjects.heartbeat, encodeHeartbeat({ replica: this.replica, bye: true }));
      await connection.drain();
    } catch {
      await connection.close().catch(() => undefined);
    }
  }
}
