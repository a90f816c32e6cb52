import { Injectable } from '@nestjs/common';

/** How long a computed report is served again: figures may lag a write by at most this. */
export const REPORT_TTL_MS = 5_000;
const MAX_ENTRIES = 500;

/**
 * Reports aggregate whole tables (50k deals, a month of 1M communications): a few partners opening the
 * dashboard at once would each run the same seconds of SQL. Requests for the same report and parameters
 * share one computation in flight and its result for REPORT_TTL_MS; a failure is not kept.
 */
@Injectable()
export class ReportCache {
  private readonly entries = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const time = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > time) return hit.value as Promise<T>;
    if (this.entries.size >= MAX_ENTRIES) this.evict(time);
    const value = compute();
    this.entries.set(key, { expires: time + REPORT_TTL_MS, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  private evict(time: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= time) this.entries.delete(key);
    // Still full of live entries: drop the oldest (a Map iterates in insertion order).
    while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
