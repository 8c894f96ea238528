import type { FastifyBaseLogger } from 'fastify';
import { deferChildLoggers } from './logger';

/** A parent that records the children it makes and what they log. */
function recordingParent(level: string) {
  const children: { bindings: object; options: object; lines: unknown[][] }[] = [];
  const logger = (lines: unknown[][]): FastifyBaseLogger => {
    const log =
      (method: string) =>
      (...args: unknown[]) =>
        lines.push([method, ...args]);
    return {
      level,
      fatal: log('fatal'),
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      trace: log('trace'),
      silent: () => undefined,
      child: (bindings: object, options: object = {}) => {
        const child = { bindings, options, lines: [] as unknown[][] };
        children.push(child);
        return logger(child.lines);
      },
    };
  };
  return { parent: logger([]), children };
}

/** What Fastify does per request: asks the root for a child with the request id bound. */
const make = (parent: FastifyBaseLogger, options?: { level?: string }) => {
  deferChildLoggers(parent);
  return parent.child({ reqId: 'r-1' }, options);
};

describe('deferChildLoggers', () => {
  it('makes no child while nothing at an enabled level is logged', () => {
    const { parent, children } = recordingParent('warn');
    const logger = make(parent, { level: 'warn' });
    logger.info({ a: 1 }, 'not shown');
    logger.debug('not shown');
    logger.trace('not shown');
    expect(children).toHaveLength(0);
    expect(logger.level).toBe('warn');
  });

  it('makes the child once, with the bindings and options, on the first enabled line', () => {
    const { parent, children } = recordingParent('info');
    const logger = make(parent, { level: 'info' });
    logger.info({ auth: { kind: 'apiKey' } }, 'authentication refused');
    logger.error('boom');
    logger.debug('dropped by the child itself');
    expect(children).toEqual([
      {
        bindings: { reqId: 'r-1' },
        options: { level: 'info' },
        lines: [
          ['info', { auth: { kind: 'apiKey' } }, 'authentication refused'],
          ['error', 'boom'],
          ['debug', 'dropped by the child itself'],
        ],
      },
    ]);
  });

  it("follows the parent's level when the route sets none", () => {
    const { parent, children } = recordingParent('error');
    const logger = make(parent);
    logger.warn('below error');
    expect(children).toHaveLength(0);
    logger.fatal('above');
    expect(children).toHaveLength(1);
  });

  it("follows the parent's level when the route's level is empty, as Fastify passes it for routes without one", () => {
    const { parent, children } = recordingParent('warn');
    const logger = make(parent, { level: '' });
    logger.info({ auth: { kind: 'apiKey' } }, 'authentication refused');
    expect(children).toHaveLength(0);
    expect(logger.level).toBe('warn');
    logger.warn('shown');
    expect(children).toHaveLength(1);
  });

  it('hands out grandchildren from the real child', () => {
    const { parent, children } = recordingParent('info');
    const logger = make(parent, { level: 'info' });
    logger.child({ step: 'x' }).info('line');
    expect(children.map((child) => child.bindings)).toEqual([{ reqId: 'r-1' }, { step: 'x' }]);
  });
});
