import { FieldErrors } from './api-error';
import { Fields, isObject, omitNulls, requireWrapper } from './fields';

const UUID = '0b6fd4f4-7c2d-4a36-9bd2-3f1d2c6a9e01';

function fields(source: Record<string, unknown>, path = 'apiKey') {
  const errors = new FieldErrors();
  return { read: new Fields(source, path, errors), errors };
}

/** The FusionAuth body of the collected errors. */
function body(errors: FieldErrors) {
  return errors.toError().body.fieldErrors;
}

describe('isObject', () => {
  it.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['text', false],
    [1, false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isObject(value)).toBe(expected);
  });
});

describe('Fields', () => {
  it('names properties by path', () => {
    expect(new Fields({}, '', new FieldErrors()).name('apiKey')).toBe('apiKey');
    expect(new Fields({}, 'apiKey.metaData', new FieldErrors()).name('attributes')).toBe(
      'apiKey.metaData.attributes',
    );
  });

  it('reads absent and null alike as null, without errors', () => {
    const { read, errors } = fields({ gone: null });
    for (const property of ['gone', 'missing']) {
      expect(read.has(property)).toBe(false);
      expect(read.string(property)).toBeNull();
      expect(read.uuid(property)).toBeNull();
      expect(read.boolean(property)).toBeNull();
      expect(read.long(property)).toBeNull();
      expect(read.object(property)).toBeNull();
      expect(read.record(property)).toBeNull();
      expect(read.stringArray(property)).toBeNull();
    }
    expect(errors.has()).toBe(false);
  });

  describe('string', () => {
    it('returns strings as given', () => {
      const { read } = fields({ key: ' a key ', description: '' });
      expect(read.string('key')).toBe(' a key ');
      expect(read.string('description')).toBe('');
      expect(read.has('description')).toBe(true);
    });

    it('reports a non-string as unconvertible', () => {
      const { read, errors } = fields({ key: 12 });
      expect(read.string('key')).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.key': [
          {
            code: '[couldNotConvert]apiKey.key',
            message: 'Invalid [apiKey.key]. The value could not be converted to the expected type.',
          },
        ],
      });
    });

    it('enforces the maximum length', () => {
      const { read, errors } = fields({ ok: 'abc', long: 'abcd' });
      expect(read.string('ok', { max: 3 })).toBe('abc');
      expect(read.string('long', { max: 3 })).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.long': [
          {
            code: '[tooLong]apiKey.long',
            message: 'The [apiKey.long] may be at most 3 characters.',
          },
        ],
      });
    });

    it('refuses control characters in single-line text only', () => {
      const { read, errors } = fields({ name: 'two\nlines', tab: 'a\tb', del: 'x\u007f' });
      expect(read.string('name')).toBe('two\nlines');
      expect(read.string('name', { singleLine: true })).toBeNull();
      expect(read.string('tab', { singleLine: true })).toBeNull();
      expect(read.string('del', { singleLine: true })).toBeNull();
      expect(body(errors)?.['apiKey.name']).toEqual([
        {
          code: '[invalid]apiKey.name',
          message: 'The [apiKey.name] may not contain control characters.',
        },
      ]);
      expect(Object.keys(body(errors)!)).toEqual(['apiKey.name', 'apiKey.tab', 'apiKey.del']);
    });
  });

  describe('requiredString', () => {
    it('returns a present value', () => {
      const { read, errors } = fields({ name: 'Default' });
      expect(read.requiredString('name')).toBe('Default');
      expect(errors.has()).toBe(false);
    });

    it.each<[string, unknown]>([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
      ['blank', '  '],
    ])('reports a value that is %s as blank', (_, value) => {
      const { read, errors } = fields({ name: value });
      expect(read.requiredString('name')).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.name': [
          { code: '[blank]apiKey.name', message: 'You must specify the [apiKey.name] property.' },
        ],
      });
    });

    it('reports one error, not two, for a value of the wrong type or length', () => {
      const { read, errors } = fields({ name: 5, long: 'abcd' });
      expect(read.requiredString('name')).toBeNull();
      expect(read.requiredString('long', { max: 3 })).toBeNull();
      const codes = Object.values(body(errors)!).flatMap((entries) => entries.map((e) => e.code));
      expect(codes).toEqual(['[couldNotConvert]apiKey.name', '[tooLong]apiKey.long']);
    });
  });

  describe('uuid', () => {
    it('returns the canonical lower-case form', () => {
      const { read } = fields({ id: UUID.toUpperCase() });
      expect(read.uuid('id')).toBe(UUID);
    });

    it.each<[string, unknown]>([
      ['malformed text', 'not-a-uuid'],
      ['a number', 42],
      ['an empty string', ''],
    ])('reports %s as unconvertible', (_, value) => {
      const { read, errors } = fields({ id: value });
      expect(read.uuid('id')).toBeNull();
      expect(body(errors)?.['apiKey.id']?.[0]?.code).toBe('[couldNotConvert]apiKey.id');
    });
  });

  describe('boolean', () => {
    it.each<[unknown, boolean]>([
      [true, true],
      [false, false],
      ['true', true],
      ['false', false],
    ])('reads %j as %s', (value, expected) => {
      expect(fields({ flag: value }).read.boolean('flag')).toBe(expected);
    });

    it.each<unknown>(['TRUE', 'yes', 1, 0, {}])('reports %j as unconvertible', (value) => {
      const { read, errors } = fields({ flag: value });
      expect(read.boolean('flag')).toBeNull();
      expect(body(errors)?.['apiKey.flag']?.[0]?.code).toBe('[couldNotConvert]apiKey.flag');
    });
  });

  describe('long', () => {
    it.each<[unknown, number]>([
      [0, 0],
      [1_700_000_000_000, 1_700_000_000_000],
      ['1700000000000', 1_700_000_000_000],
      ['-5', -5],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ])('reads %j as %d', (value, expected) => {
      expect(fields({ instant: value }).read.long('instant')).toBe(expected);
    });

    it.each<unknown>([
      1.5,
      '1.5',
      '12abc',
      '',
      Number.MAX_SAFE_INTEGER + 1,
      true,
      '9007199254740993',
    ])('reports %j as unconvertible', (value) => {
      const { read, errors } = fields({ instant: value });
      expect(read.long('instant')).toBeNull();
      expect(body(errors)?.['apiKey.instant']?.[0]?.code).toBe('[couldNotConvert]apiKey.instant');
    });

    it('enforces the minimum', () => {
      const { read, errors } = fields({ low: -1, edge: 0 });
      expect(read.long('edge', { min: 0 })).toBe(0);
      expect(read.long('low', { min: 0 })).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.low': [
          { code: '[invalid]apiKey.low', message: 'The [apiKey.low] must be at least 0.' },
        ],
      });
    });
  });

  describe('integer', () => {
    it('reads a Java int, given as a number or a numeric string', () => {
      const { read, errors } = fields({ a: 2_147_483_647, b: '-2147483648', c: 600 });
      expect([read.integer('a'), read.integer('b'), read.integer('c')]).toEqual([
        2_147_483_647, -2_147_483_648, 600,
      ]);
      expect(errors.has()).toBe(false);
    });

    it.each<unknown>([2_147_483_648, '-2147483649', 1e15, 1.5, 'ten'])(
      'reports %j as unconvertible, as a Java int parser would',
      (value) => {
        const { read, errors } = fields({ ttl: value });
        expect(read.integer('ttl')).toBeNull();
        expect(body(errors)?.['apiKey.ttl']?.[0]?.code).toBe('[couldNotConvert]apiKey.ttl');
      },
    );

    it('enforces both bounds, naming the one crossed', () => {
      const { read, errors } = fields({ low: 0, high: 300, edge: 256 });
      expect(read.integer('edge', { min: 1, max: 256 })).toBe(256);
      expect(read.integer('low', { min: 1, max: 256 })).toBeNull();
      expect(read.integer('high', { min: 1, max: 256 })).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.low': [
          { code: '[invalid]apiKey.low', message: 'The [apiKey.low] must be at least 1.' },
        ],
        'apiKey.high': [
          { code: '[invalid]apiKey.high', message: 'The [apiKey.high] must be at most 256.' },
        ],
      });
    });
  });

  describe('top', () => {
    it('reads a body without a wrapper, and refuses one that is not an object', () => {
      expect(Fields.top({ loginId: 'a' }).string('loginId')).toBe('a');
      expect(Fields.top({ loginId: 'a' }).name('loginId')).toBe('loginId');
      for (const body of [null, [], 'x', 1, undefined]) {
        expect(() => Fields.top(body)).toThrow(
          expect.objectContaining({
            status: 400,
            body: { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] },
          }),
        );
      }
    });
  });

  describe('object', () => {
    it('reads a nested object with the longer path and the same errors', () => {
      const { read, errors } = fields({ metaData: { attributes: 7 } });
      const nested = read.object('metaData');
      expect(nested?.path).toBe('apiKey.metaData');
      expect(nested?.errors).toBe(errors);
      expect(nested?.string('attributes')).toBeNull();
      expect(Object.keys(body(errors)!)).toEqual(['apiKey.metaData.attributes']);
    });

    it.each<unknown>([[], 'text', 3])('reports %j as unconvertible', (value) => {
      const { read, errors } = fields({ metaData: value });
      expect(read.object('metaData')).toBeNull();
      expect(body(errors)?.['apiKey.metaData']?.[0]?.code).toBe('[couldNotConvert]apiKey.metaData');
    });
  });

  describe('record', () => {
    it('returns the object as given', () => {
      const data = { nested: { list: [1, 2] }, flag: true };
      expect(fields({ data }).read.record('data')).toBe(data);
    });

    it('enforces the size limit on the JSON text', () => {
      const { read, errors } = fields({ fits: { a: 'xxxx' }, big: { a: 'xxxxx' } });
      // {"a":"xxxx"} is 12 characters.
      expect(read.record('fits', { maxBytes: 12 })).toEqual({ a: 'xxxx' });
      expect(read.record('big', { maxBytes: 12 })).toBeNull();
      expect(body(errors)).toEqual({
        'apiKey.big': [
          { code: '[tooLong]apiKey.big', message: 'The [apiKey.big] may be at most 12 bytes.' },
        ],
      });
    });

    it('reports a non-object as unconvertible', () => {
      const { read, errors } = fields({ data: ['a'] });
      expect(read.record('data')).toBeNull();
      expect(body(errors)?.['apiKey.data']?.[0]?.code).toBe('[couldNotConvert]apiKey.data');
    });
  });

  describe('stringArray', () => {
    it('returns a list of strings', () => {
      expect(fields({ roles: ['admin', 'user'] }).read.stringArray('roles')).toEqual([
        'admin',
        'user',
      ]);
      expect(fields({ roles: [] }).read.stringArray('roles')).toEqual([]);
    });

    it.each<unknown>(['admin', ['admin', 1], [null]])('reports %j as unconvertible', (value) => {
      const { read, errors } = fields({ roles: value });
      expect(read.stringArray('roles')).toBeNull();
      expect(body(errors)?.['apiKey.roles']?.[0]?.code).toBe('[couldNotConvert]apiKey.roles');
    });

    it('enforces the maximum length of each item', () => {
      const { read, errors } = fields({ roles: ['abc', 'abcd'] });
      expect(read.stringArray('roles', { max: 3 })).toBeNull();
      expect(body(errors)?.['apiKey.roles']?.[0]?.code).toBe('[tooLong]apiKey.roles');
    });
  });

  describe('root', () => {
    it('opens the wrapper object', () => {
      const { top, inner } = Fields.root({ apiKey: { key: 'k' }, extra: 1 }, 'apiKey');
      expect(top.keys()).toEqual(['apiKey', 'extra']);
      expect(inner.path).toBe('apiKey');
      expect(inner.string('key')).toBe('k');
      expect(inner.errors).toBe(top.errors);
    });

    it('reads a body without the wrapper as an empty wrapper without errors', () => {
      const { inner } = Fields.root({}, 'apiKey');
      expect(inner.keys()).toEqual([]);
      expect(inner.path).toBe('apiKey');
      expect(inner.errors.has()).toBe(false);
    });

    it.each<unknown>([undefined, null, 'text', [], 0, true])(
      'refuses a body of %j as JSON that is not a request',
      (value) => {
        expect(() => Fields.root(value, 'apiKey')).toThrow(
          expect.objectContaining({
            status: 400,
            body: { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] },
          }),
        );
      },
    );

    it('reports a wrapper that is not an object', () => {
      const { inner } = Fields.root({ apiKey: 'k' }, 'apiKey');
      expect(inner.keys()).toEqual([]);
      expect(body(inner.errors)?.apiKey?.[0]?.code).toBe('[couldNotConvert]apiKey');
    });

    it('collects into the errors it is given', () => {
      const errors = new FieldErrors();
      const { inner } = Fields.root({ apiKey: {} }, 'apiKey', errors);
      expect(inner.errors).toBe(errors);
    });
  });
});

describe('Fields.objectArray', () => {
  it('reads each object at its index, and refuses anything but a list of objects', () => {
    const { read, errors } = fields({ list: [{ a: 'x' }, { a: 'y' }], bad: [{}, 1], gone: null });
    const list = read.objectArray('list')!;
    expect(list.map((item) => [item.path, item.string('a')])).toEqual([
      ['apiKey.list[0]', 'x'],
      ['apiKey.list[1]', 'y'],
    ]);
    expect(read.objectArray('gone')).toBeNull();
    expect(read.objectArray('bad')).toBeNull();
    expect(Object.keys(body(errors)!)).toEqual(['apiKey.bad']);
  });
});

describe('omitNulls', () => {
  it('drops null and undefined members, and keeps false, zero, empty strings and empty objects', () => {
    expect(omitNulls({ a: null, b: undefined, c: false, d: 0, e: '', f: {} })).toEqual({
      c: false,
      d: 0,
      e: '',
      f: {},
    });
  });
});

describe('requireWrapper', () => {
  it.each<unknown>([{}, { apiKey: null }, { other: {} }])(
    'refuses %j as [missing]apiKey',
    (body) => {
      expect(() => requireWrapper(body, 'apiKey')).toThrow(
        expect.objectContaining({
          status: 400,
          body: {
            fieldErrors: {
              apiKey: [{ code: '[missing]apiKey', message: 'The [apiKey] was not specified.' }],
            },
          },
        }),
      );
    },
  );

  it('accepts an empty wrapper object: the replace then says what it means', () => {
    expect(() => requireWrapper({ apiKey: {} }, 'apiKey')).not.toThrow();
  });

  it('refuses a body that is not an object as unparseable', () => {
    expect(() => requireWrapper(null, 'apiKey')).toThrow(
      expect.objectContaining({
        body: { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] },
      }),
    );
  });
});
