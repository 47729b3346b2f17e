// Preloaded into each measured devfleet process (`node --import ./bench/usage.mjs bin/devfleet.js
// ...`): at exit, writes the process's own CPU time and peak resident memory to the file named by
// DEVFLEET_BENCH_USAGE. Plain JavaScript, a few lines: it adds nothing measurable to start-up.
import { writeFileSync } from 'node:fs';

const file = process.env.DEVFLEET_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // userCPUTime and systemCPUTime are in microseconds, maxRSS in kilobytes.
    writeFileSync(file, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssMiB: usage.maxRSS / 1024 }));
  });
}
