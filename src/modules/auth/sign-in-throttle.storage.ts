import type { MikroORM } from '@mikro-orm/postgresql';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** The table the counters live in (migration sign_in_throttle; skipped by schema diffs, not an entity). */
export const SIGN_IN_THROTTLE_TABLE = 'sign_in_throttle';

/** How often an instance deletes the rows whose window and block have both ended. */
const SWEEP_INTERVAL_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface HitRow {
  hits: number;
  expires_in_ms: number;
  blocked_for_ms: number | null;
}

/**
 * One hit, atomically, in one statement: a new key starts a window; a blocked key stays blocked (not counted)
 * until its block ends, then starts over; otherwise the hit is counted in the current window (a new one if it
 * ended), and passing the limit blocks the key for the block duration. Parameters: key, then ttl ms, limit and
 * block ms for the insert and again for the update.
 */
const HIT_SQL = `
insert into "${SIGN_IN_THROTTLE_TABLE}" as t ("key", "hits", "window_ends_at", "blocked_until")
values (?, 1, now() + ?::int * interval '1 millisecond',
        case when 1 > ?::int then now() + ?::int * interval '1 millisecond' end)
on conflict ("key") do update set
  "hits" = case
    when t.blocked_until > now() then t.hits
    when t.blocked_until is not null or t.window_ends_at <= now() then 1
    else t.hits + 1 end,
  "window_ends_at" = case
    when t.blocked_until > now() then t.window_ends_at
    when t.blocked_until is not null or t.window_ends_at <= now() then now() + ?::int * interval '1 millisecond'
    else t.window_ends_at end,
  "blocked_until" = case
    when t.blocked_until > now() then t.blocked_until
    when (case when t.blocked_until is not null or t.window_ends_at <= now() then 1 else t.hits + 1 end) > ?::int
      then now() + ?::int * interval '1 millisecond'
    end
returning "hits",
  extract(epoch from ("window_ends_at" - now())) * 1000 as expires_in_ms,
  case when "blocked_until" > now() then extract(epoch from ("blocked_until" - now())) * 1000 end as blocked_for_ms`;

/**
 * Sign-in attempt counters in PostgreSQL, so every instance behind a load balancer counts against one limit:
 * the ThrottlerStorage of the API's sign-in routes (ThrottlerGuard) and of the back office's sign-in.
 * Fixed windows of `ttl` per key; statements run on the pool, outside any request transaction.
 */
export class SignInThrottleStorage implements ThrottlerStorage {
  private lastSweep = Date.now();

  constructor(private readonly orm: MikroORM) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const connection = this.orm.em.getConnection();
    const block = blockDuration > 0 ? blockDuration : ttl;
    const [row] = await connection.execute<HitRow[]>(HIT_SQL, [
      `${throttlerName}:${key}`,
      ...[ttl, limit, block, ttl, limit, block],
    ]);
    await this.sweep();
    const blockedFor = row.blocked_for_ms === null ? 0 : Number(row.blocked_for_ms);
    return {
      totalHits: row.hits,
      timeToExpire: Math.ceil(Number(row.expires_in_ms) / 1000),
      isBlocked: blockedFor > 0,
      timeToBlockExpire: Math.ceil(blockedFor / 1000),
    };
  }

  /** At most once a minute per instance: one delete of the rows nobody counts against any more. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = Date.now();
    await this.orm.em
      .getConnection()
      .execute(
        `delete from "${SIGN_IN_THROTTLE_TABLE}" where "window_ends_at" < now() and ("blocked_until" is null or "blocked_until" < now())`,
      );
  }
}
