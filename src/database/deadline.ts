/** The database did not answer in time: the same JSON 503 as when it is away. */
export class DeadlineExceeded extends Error {
  /** Read by `isDatabaseUnavailable`, like a driver's error code. */
  readonly code = 'DEADLINE_EXCEEDED';

  constructor(
    readonly what: string,
    readonly milliseconds: number,
  ) {
    super(`${what} took longer than ${milliseconds} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * `work`, or a `DeadlineExceeded` rejection once `milliseconds` have passed, whichever
 * comes first. A lookup shared by several requests is wrapped in this so that a
 * connection that accepts and then answers nothing cannot hold them, nor every later
 * request that would join them: the shared promise settles, its holder drops it, and
 * the next request starts a fresh lookup. What `work` settles with later is ignored.
 */
export function withDeadline<T>(work: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, milliseconds)), milliseconds);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
