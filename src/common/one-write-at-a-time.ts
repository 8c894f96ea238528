/**
 * Background writes that must not overlap (a flush on a timer, and one at shutdown): a
 * call waits for the write under way, then takes what is pending and writes it.
 */
export class OneWriteAtATime {
  private writing: Promise<void> | null = null;

  /** `take` runs once no write is under way; it returns the write to make, or null for none. */
  async run(take: () => Promise<void> | null): Promise<void> {
    while (this.writing !== null) await this.writing;
    const write = take();
    if (write === null) return;
    this.writing = write.finally(() => (this.writing = null));
    await this.writing;
  }
}
