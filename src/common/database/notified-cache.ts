import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';

const RECONNECT_MS = 1_000;
/** The longest a writer (or a reader) waits for this instance to hear the notifications before it (see caughtUp). */
const CATCH_UP_TIMEOUT_MS = 2_000;

interface Entry<T> {
  value: T;
  /** What a notification names to forget this entry (a user's id), or '' for none. */
  tag: string;
  at: number;
}

export interface NotifiedCacheOptions {
  /** The channel the database's triggers notify, in the writing transaction (delivered as it commits). */
  channel: string;
  /** How long an entry may serve without hearing from the database, should a notification ever be missed. */
  ttlMs: number;
  /** Entries kept per kind at most; beyond, the oldest go. */
  maxEntries: number;
}

/**
 * Values read from PostgreSQL kept in memory until the database says they changed: every instance LISTENs on
 * one channel, and triggers NOTIFY it in the transaction of a change, so each instance forgets as the change
 * commits. While the listening connection is down nothing is kept (every call reads the database), a value read
 * while a notification arrived is not kept, and entries expire after `ttlMs` regardless. A notification forgets
 * the entries tagged with its payload (see `forgetTag`), or everything when the subclass says so.
 */
export abstract class NotifiedCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly maps = new Map<string, Map<string, Entry<unknown>>>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  /** Bumped by every forget: a value read before a notification is not kept after it. */
  private generation = 0;

  protected constructor(
    private readonly databaseUrl: string,
    private readonly options: NotifiedCacheOptions,
  ) {
    this.logger = new Logger(new.target.name);
  }

  /** What a notification with this payload forgets. */
  protected abstract notified(payload: string): void;

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.forgetAll();
    await this.client?.end().catch(() => undefined);
  }

  /** The kept value of `key` in `kind`, or what `load` answers (kept while the database can notify). */
  protected async cached<T>(
    kind: string,
    key: string,
    load: () => Promise<{ value: T; tag: string } | undefined>,
  ): Promise<T | undefined> {
    const map = this.map(kind);
    const hit = map.get(key) as Entry<T> | undefined;
    if (hit && Date.now() - hit.at < this.options.ttlMs) return hit.value;
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return undefined;
    if (this.listening && generation === this.generation) {
      if (map.size >= this.options.maxEntries) map.delete(map.keys().next().value!);
      map.set(key, { value: loaded.value, tag: loaded.tag, at: Date.now() });
    }
    return loaded.value;
  }

  /**
   * Resolves once this instance has heard every notification committed before the call (or after
   * CATCH_UP_TIMEOUT_MS): a query on the listening connection, which PostgreSQL answers only after sending the
   * notifications it has for that connection. A writer that awaits it after its commit answers only once this
   * instance has forgotten what the write changed.
   */
  async caughtUp(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.query('select 1').catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, CATCH_UP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Forgets what this instance keeps under `tag` (the database tells the others). */
  protected forgetTag(tag: string): void {
    this.generation += 1;
    for (const map of this.maps.values()) {
      for (const [key, entry] of map) if (entry.tag === tag) map.delete(key);
    }
  }

  /** Forgets everything this instance keeps. */
  protected forgetAll(): void {
    this.generation += 1;
    for (const map of this.maps.values()) map.clear();
  }

  private map(kind: string): Map<string, Entry<unknown>> {
    let map = this.maps.get(kind);
    if (!map) this.maps.set(kind, (map = new Map<string, Entry<unknown>>()));
    return map;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      // Named after the channel (vcrm_reports listens as vcrm-reports), to be found in pg_stat_activity.
      application_name: this.options.channel.replaceAll('_', '-'),
    });
    client.on('notification', (message) => this.notified(message.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${this.options.channel}`);
      if (this.stopped) {
        // The app stopped while this connection was being opened (a reconnect): nobody will close it later.
        client.removeAllListeners();
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.forgetAll();
      this.listening = true;
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  /** The listening connection is gone: keep nothing until it is back. */
  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client && this.client !== undefined) return;
    const wasListening = this.listening;
    this.listening = false;
    this.client = undefined;
    this.forgetAll();
    client.removeAllListeners();
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasListening || err)
      this.logger.warn(
        `Notifications on ${this.options.channel} lost (${err?.message ?? 'closed'}); retrying`,
      );
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
