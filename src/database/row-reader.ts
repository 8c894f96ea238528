import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

/** A row as the database sends it: its columns in the order the SELECT names them. */
export type RowValues = unknown[];

interface SqliteStatement {
  raw(toggle: true): SqliteStatement;
  all(...parameters: unknown[]): RowValues[];
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

type QueryCallback = (error: Error | null, rows?: unknown) => void;

interface MysqlConnection {
  execute(
    options: { sql: string; values: unknown[]; rowsAsArray: true },
    callback: QueryCallback,
  ): void;
  release(): void;
}

interface MysqlPool {
  getConnection(callback: (error: Error | null, connection?: MysqlConnection) => void): void;
}

/**
 * Hot reads that skip TypeORM's query runner, their rows as arrays, so that no object is
 * built per row only to be read once. On SQLite each SQL text is prepared once. On MySQL
 * each SQL text is a server-side prepared statement, prepared once per pooled connection
 * (mysql2 keeps them per connection) and executed with the binary protocol: MariaDB then
 * parses a user read's UNION once per connection instead of on every read, which roughly
 * halves its own CPU per read and takes a little off this process's too. The pool's
 * acquire and query deadlines (pool.deadlines.ts) apply to executions as to TypeORM's
 * text queries. Errors are the drivers' own, which `database.errors.ts` classifies.
 */
@Injectable()
export class RowReader {
  private readonly sqlite: SqliteConnection | null;
  private readonly pool: MysqlPool | null;
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(dataSource: DataSource) {
    const type = dataSource.options.type;
    this.sqlite =
      type === 'better-sqlite3'
        ? ((dataSource.driver as BetterSqlite3Driver).databaseConnection as SqliteConnection)
        : null;
    this.pool = type === 'mysql' ? ((dataSource.driver as MysqlDriver).pool as MysqlPool) : null;
    if (this.sqlite === null && this.pool === null)
      throw new Error(`RowReader does not know the ${type} driver`);
  }

  /** The rows `sql` selects with `parameters` bound to its `?` in order. */
  rows(sql: string, parameters: unknown[]): Promise<RowValues[]> {
    const sqlite = this.sqlite;
    // A statement that throws rejects the promise.
    if (sqlite !== null)
      return new Promise((resolve) => resolve(this.statement(sqlite, sql).all(...parameters)));
    const pool = this.pool as MysqlPool;
    return new Promise((resolve, reject) => {
      pool.getConnection((error, connection) => {
        if (error !== null || connection === undefined)
          return reject(error ?? new Error('no connection'));
        const answer: QueryCallback = (failure, rows) => {
          connection.release();
          if (failure !== null) reject(failure);
          else resolve(rows as RowValues[]);
        };
        // A throw here would escape the pool's callback and end the process.
        try {
          connection.execute({ sql, values: parameters, rowsAsArray: true }, answer);
        } catch (thrown) {
          answer(thrown instanceof Error ? thrown : new Error(String(thrown)));
        }
      });
    });
  }

  private statement(connection: SqliteConnection, sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = connection.prepare(sql).raw(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
