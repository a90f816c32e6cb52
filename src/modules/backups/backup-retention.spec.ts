import { describe, expect, it } from '@jest/globals';

import { expiredBackups, type RetentionCandidate } from './backup-retention.js';

const now = new Date('2026-12-31T03:00:00Z');
const daysAgo = (days: number, verified = true): RetentionCandidate => ({
  name: `b-${days}`,
  createdAt: new Date(now.getTime() - days * 86_400_000).toISOString(),
  verified,
});

describe('expiredBackups', () => {
  it('removes backups older than the retention once a newer one is verified', () => {
    const backups = [daysAgo(0), daysAgo(10), daysAgo(29), daysAgo(31), daysAgo(45)];
    expect(expiredBackups(backups, now, 30)).toEqual(['b-31', 'b-45']);
  });

  it('keeps everything while no backup is verified', () => {
    expect(expiredBackups([daysAgo(40, false), daysAgo(50, false)], now, 30)).toEqual([]);
  });

  it('never removes the newest verified backup, however old, and keeps an old one when only newer unverified exist', () => {
    const backups = [daysAgo(1, false), daysAgo(35), daysAgo(60)];
    expect(expiredBackups(backups, now, 30)).toEqual(['b-60']);
  });

  it('removes old unverified backups once something newer is verified', () => {
    expect(expiredBackups([daysAgo(2), daysAgo(40, false)], now, 30)).toEqual(['b-40']);
  });
});
