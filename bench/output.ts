/** What the benchmark prints: plain lines, with in-place progress when stdout is a terminal. */
const tty = Boolean(process.stdout.isTTY);

export function say(line = ''): void {
  process.stdout.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
}

/**
 * A progress update: in a terminal it replaces the previous one. Elsewhere (CI logs, a pipe) only updates
 * marked `always` (each chunk of a long load) are printed, one per line.
 */
export function progress(line: string, always = false): void {
  if (tty) process.stdout.write(`\r\x1b[2K${line}`);
  else if (always) say(line);
}

/** A finished step with how long it took. */
export function finished(line: string, ms: number): void {
  say(`${line.padEnd(52)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
}
