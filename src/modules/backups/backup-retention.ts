export interface RetentionCandidate {
  name: string;
  createdAt: string;
  verified: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The backups retention removes: those older than `retentionDays`, but only once a newer backup has been
 * verified — and never the newest verified one, however old (if backups have been failing for weeks, the
 * last good one is all there is).
 */
export function expiredBackups(backups: RetentionCandidate[], now: Date, retentionDays: number): string[] {
  const newestVerified = backups
    .filter((b) => b.verified)
    .reduce<RetentionCandidate | undefined>((a, b) => (!a || b.createdAt > a.createdAt ? b : a), undefined);
  if (!newestVerified) return [];
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return backups
    .filter(
      (b) =>
        b.name !== newestVerified.name &&
        Date.parse(b.createdAt) < cutoff &&
        b.createdAt < newestVerified.createdAt,
    )
    .map((b) => b.name);
}
