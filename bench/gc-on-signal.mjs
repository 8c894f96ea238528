// Preloaded (node --expose-gc --import) into the memory scenario's replica only: SIGUSR2 runs
// a full garbage collection, so resident size can be read without the garbage of the moment.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
});
