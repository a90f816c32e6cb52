import { Injectable } from '@nestjs/common';

import { NotifiedCache } from '../../common/database/notified-cache.js';
import { AppConfig } from '../../config/app-config.js';

/** The channel the database notifies when deals, stage history or funds change (migration …report_notify). */
export const REPORTS_CHANNEL = 'vcrm_reports';

/**
 * Reports whose computing reads all of a fund's stage history (pipeline analytics: medians over every visit of
 * a stage in the window), kept in memory until the data they are computed from changes: triggers on
 * opportunities, stage history and funds notify REPORTS_CHANNEL as a change commits, and every instance forgets
 * them all (NotifiedCache: nothing is kept while the listening connection is down; 10 minutes at most). Each read
 * first hears what was committed before it (see report).
 * A report is kept by its exact parameters, the window's days resolved (a window ending today is another key
 * tomorrow).
 */
@Injectable()
export class ReportCache extends NotifiedCache {
  constructor(config: AppConfig) {
    super(config.database.url, { channel: REPORTS_CHANNEL, ttlMs: 10 * 60_000, maxEntries: 200 });
  }

  /**
   * The kept report of `key`, or what `compute` answers (an error is thrown, never kept). The notifications of
   * changes committed before the call are heard first (caughtUp: one `select 1` on the listening connection), so a
   * change made through another instance or in SQL is never answered from memory, however busy this instance is.
   */
  async report<T>(kind: string, key: string, compute: () => Promise<T>): Promise<T> {
    await this.caughtUp();
    return (await this.cached(kind, key, async () => ({ value: await compute(), tag: '' })))!;
  }

  protected notified(): void {
    this.forgetAll();
  }
}
