/** Node only: a progress bar on stderr for long jobs (a million codes). */

export interface ProgressBar {
  update(done: number, total?: number): void;
  /** Ends the bar's line, with `message` after it. */
  finish(message?: string): void;
}

const WIDTH = 30;
/** Redraws at most this often on a terminal; elsewhere (a log file, CI) one line per tenth. */
const REDRAW_MS = 100;

/** A bar labelled `label` counting to `total`. */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = -1;
  let current = 0;
  let end = total;
  const line = () => {
    const fraction = end === 0 ? 1 : Math.min(1, current / end);
    const filled = Math.round(fraction * WIDTH);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${current.toLocaleString("en-US")}/${end.toLocaleString("en-US")} ${seconds}s`;
  };
  return {
    update(done, newTotal) {
      current = done;
      if (newTotal !== undefined) end = newTotal;
      if (stream.isTTY) {
        if (Date.now() - lastDraw < REDRAW_MS && done < end) return;
        lastDraw = Date.now();
        stream.write(`\r${line()}`);
      } else {
        const tenth = Math.floor((done / Math.max(1, end)) * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        stream.write(`${line()}\n`);
      }
    },
    finish(message) {
      const suffix = message === undefined ? "" : ` ${message}`;
      stream.write(
        stream.isTTY
          ? `\r${line()}${suffix}\n`
          : `${label} done in ${((Date.now() - started) / 1000).toFixed(1)}s${suffix}\n`,
      );
    },
  };
}
