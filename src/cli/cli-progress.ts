import cliProgress from 'cli-progress';

export type ProgressUnit = 'bytes' | 'rows' | 'items';

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

const MB = 1024 * 1024;

function amount(value: number, unit: ProgressUnit): string {
  if (unit === 'bytes') return `${(value / MB).toFixed(1)} MB`;
  return value.toLocaleString('en-US');
}

/**
 * A progress bar on stderr for long commands (backup, restore). In a terminal only: in a pipe or a log it
 * stays silent, and the command's own summary lines say what happened.
 */
export function progressBar(label: string, unit: ProgressUnit): Progress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(10)} [{bar}] {percentage}% | {done} of {all} | {detail}`,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail = '') {
      const payload = { done: amount(done, unit), all: amount(total, unit), detail };
      if (!started) {
        bar.start(Math.max(total, 1), done, payload);
        started = true;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
