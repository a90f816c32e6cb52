/** What CLI commands print for people: plain lines on stdout/stderr, not JSON logs. */
export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export const fail = (line: string): void => {
  process.stderr.write(`error: ${line}\n`);
  process.exitCode = 1;
};
