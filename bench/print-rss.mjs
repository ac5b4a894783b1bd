// Preload for benchmarks: prints this process's peak RSS and CPU time as JSON on stderr at exit.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n${JSON.stringify({ peakRssMB: Math.round(u.maxRSS / 1024), cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 })}\n`);
});
