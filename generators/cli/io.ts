/** Where commands write; tests pass their own. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (line: string) => void;
  /** True when progress may be drawn (stderr is a terminal and not CI). */
  readonly interactive: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
};

/** A one-line progress display on interactive terminals; silent elsewhere. */
export function progress(io: Io, label: string): { update: (done: number, total: number) => void; done: () => void } {
  if (!io.interactive) return { update: () => {}, done: () => {} };
  let last = 0;
  return {
    update: (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      process.stderr.write(`\r${label} ${done}/${total}\x1b[K`);
    },
    done: () => process.stderr.write('\r\x1b[K'),
  };
}
