import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';

import { AppConfig } from '../../config/app-config.js';

/** The channel the database notifies on when a user's sign-in facts or tokens change (migration …auth_notify). */
export const CREDENTIALS_CHANNEL = 'vcrm_credentials';

/** How long an entry may serve without hearing from the database, should a notification ever be missed. */
const TTL_MS = 30_000;
/** Entries kept per map at most; beyond, the oldest go (a flood of random tokens cannot grow memory). */
const MAX_ENTRIES = 10_000;
const RECONNECT_MS = 1_000;

interface Entry<T> {
  value: T;
  userId: string;
  at: number;
}

/**
 * What authenticating a request needs from the database — a session user's row, an API token and its owner —
 * kept in memory so the hot path sends no statement. Every instance LISTENs on CREDENTIALS_CHANNEL: triggers
 * on `users` and `api_tokens` notify the user's id in the transaction that deactivates them, changes their role,
 * password or 2FA, or revokes a token, so each instance forgets that user as the change commits. While the
 * listening connection is down nothing is cached (every request reads the database), and entries expire after
 * TTL_MS regardless.
 */
@Injectable()
export class CredentialCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CredentialCache');
  private readonly maps = new Map<string, Map<string, Entry<unknown>>>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  /** Bumped by every forget: a row read before a notification is not cached after it. */
  private generation = 0;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.forgetAll();
    await this.client?.end().catch(() => undefined);
  }

  /** The cached value of `key` in `kind`, or what `load` answers (cached while the database can notify). */
  async get<T>(
    kind: string,
    key: string,
    load: () => Promise<{ value: T; userId: string } | undefined>,
  ): Promise<T | undefined> {
    const map = this.map(kind);
    const hit = map.get(key) as Entry<T> | undefined;
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return undefined;
    // Not cached when the listener is down, or when a notification arrived while the row was being read.
    if (this.listening && generation === this.generation) {
      if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
      map.set(key, { value: loaded.value, userId: loaded.userId, at: Date.now() });
    }
    return loaded.value;
  }

  /** Forgets what this instance keeps of one user (the database tells the others). */
  forgetUser(userId: string): void {
    this.generation += 1;
    for (const map of this.maps.values()) {
      for (const [key, entry] of map) if (entry.userId === userId) map.delete(key);
    }
  }

  private map(kind: string): Map<string, Entry<unknown>> {
    let map = this.maps.get(kind);
    if (!map) this.maps.set(kind, (map = new Map<string, Entry<unknown>>()));
    return map;
  }

  private forgetAll(): void {
    this.generation += 1;
    for (const map of this.maps.values()) map.clear();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: 'vcrm-credentials',
    });
    client.on('notification', (message) => {
      this.forgetUser(message.payload ?? '');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CREDENTIALS_CHANNEL}`);
      this.client = client;
      this.forgetAll();
      this.listening = true;
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  /** The listening connection is gone: cache nothing until it is back. */
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
      this.logger.warn(`Credential notifications lost (${err?.message ?? 'closed'}); retrying`);
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
