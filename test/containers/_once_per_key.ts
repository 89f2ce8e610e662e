/**
 * Wraps an image build so that concurrent and later calls with equal options share one build:
 * tests running in parallel build each image once. A failed build is forgotten, so the next
 * call tries again.
 */
export function oncePerKey<O>(
  build: (options: O) => Promise<string>,
): (options: O) => Promise<string> {
  const inFlight = new Map<string, Promise<string>>();
  return (options) => {
    const key = JSON.stringify(options);
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = build(options);
      inFlight.set(key, pending);
      pending.catch(() => inFlight.delete(key));
    }
    return pending;
  };
}
