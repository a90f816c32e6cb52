/**
 * Deterministic test data without a faker dependency: every factory derives its defaults from a sequence
 * number, so the same number always builds the same record, and each new number a distinct one (unique
 * names and emails). Pass `{ seq }` to pin a record; otherwise the next number of this process is used.
 */
let counter = 0;

export interface FactoryOptions {
  /** Sequence number the defaults are derived from. Same number, same record. */
  seq?: number;
}

export function nextSeq(): number {
  counter += 1;
  return counter;
}

/** Restart the sequence (e.g. at the start of a test that asserts generated values). */
export function resetSequence(to = 0): void {
  counter = to;
}

export function seqOf(options: FactoryOptions | undefined): number {
  return options?.seq ?? nextSeq();
}

/**
 * mulberry32: a tiny, good-enough PRNG. `random(seq)` gives the same stream for the same seed, so picks from
 * word lists vary between records without making them random.
 */
export function random(seed: number): () => number {
  let a = (seed * 0x9e3779b1) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** `YYYY-MM-DD` of `days` days from `from` (negative: in the past), for date-only columns. */
export function dateOnly(days = 0, from: Date = new Date()): string {
  const d = new Date(from.getTime() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function daysAgo(days: number, from: Date = new Date()): Date {
  return new Date(from.getTime() - days * 86_400_000);
}

export const slug = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
