/**
 * Keeps Slack writes to one channel (posts) or one message (updates) in the order they
 * were made. The Web API client retries a rate-limited call after Retry-After, so without
 * this a later update could land first and an older one overwrite it.
 */
const queues = new Map<string, Promise<unknown>>();

export function inOrder<T>(key: string, write: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(write);
  queues.set(key, next);
  // Forget the queue once it drains, so the map holds only keys with writes pending.
  void next.catch(() => undefined).then(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
  return next;
}
