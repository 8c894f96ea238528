/** MySQL's command bytes for a statement: COM_QUERY and COM_STMT_EXECUTE. */
const STATEMENTS = new Set([0x03, 0x17]);

/**
 * Counts the statements a client sends, read off the wire between it and the server (a
 * proxy's client tap), so a test need not trust the service's own count. Every MySQL
 * packet is a 3-byte length, a sequence number and a payload; a command is a packet of
 * sequence number 0, and its first byte names it.
 */
export class MysqlStatementCounter {
  statements = 0;
  private readonly partial = new WeakMap<object, Buffer>();

  readonly tap = (connection: object, chunk: Buffer): void => {
    const before = this.partial.get(connection);
    let buffer = before === undefined ? chunk : Buffer.concat([before, chunk]);
    while (buffer.length >= 4) {
      const length = buffer.readUIntLE(0, 3);
      if (buffer.length < 4 + length) break;
      if (buffer[3] === 0 && length > 0 && STATEMENTS.has(buffer[4])) this.statements++;
      buffer = buffer.subarray(4 + length);
    }
    this.partial.set(connection, buffer);
  };
}
