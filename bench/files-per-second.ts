/**
 * Runs `pass` (one pass over `files` inputs of `totalBytes` bytes) again and again for `seconds`
 * after one warm-up pass, prints files/s and MB/s in the benches' one format, and returns files/s.
 */
export function filesPerSecond(name: string, files: number, totalBytes: number, seconds: number, pass: () => void): number {
  pass(); // warm up
  let passes = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    pass();
    passes++;
  }
  const elapsed = (performance.now() - start) / 1000;
  const perSecond = (passes * files) / elapsed;
  console.log(`${name.padEnd(34)} ${perSecond.toFixed(0).padStart(7)} files/s  ${((passes * totalBytes) / elapsed / 1e6).toFixed(1).padStart(6)} MB/s`);
  return perSecond;
}
