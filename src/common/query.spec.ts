import { ApiError } from './api-error';
import { pathId, queryFlag, queryInteger, queryValue, queryValues } from './query';

function thrownError(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('queryValue', () => {
  it.each<[unknown, string | null]>([
    ['abc', 'abc'],
    [['first', 'second'], 'first'],
    [' ', ' '],
    ['', null],
    ['undefined', null],
    ['null', null],
    [['null', 'abc'], null],
    [undefined, null],
    [[], null],
    [5, null],
  ])('%j → %j', (value, expected) => {
    expect(queryValue(value)).toBe(expected);
  });
});

describe('queryValues', () => {
  it.each<[unknown, string[]]>([
    ['abc', ['abc']],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [
      ['a', 'undefined', '', 'null', 'b'],
      ['a', 'b'],
    ],
    ['undefined', []],
    [undefined, []],
    [[], []],
  ])('%j → %j', (value, expected) => {
    expect(queryValues(value)).toEqual(expected);
  });
});

describe('queryFlag', () => {
  it.each<[unknown, boolean]>([
    ['true', true],
    ['TRUE', true],
    [['true'], true],
    ['false', false],
    ['1', false],
    ['yes', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(queryFlag(value)).toBe(expected);
  });
});

describe('queryInteger', () => {
  it.each<[unknown, number]>([
    [undefined, 25],
    ['', 25],
    ['undefined', 25],
    ['0', 0],
    ['10', 10],
    ['500', 500],
    [['7', '8'], 7],
  ])('%j → %d (fallback 25, max 500)', (value, expected) => {
    expect(queryInteger(value, 'numberOfResults', 25, 500)).toBe(expected);
  });

  it.each(['501', '-1', '1.5', 'ten', '1e3'])('refuses %j, naming the field', (value) => {
    const error = thrownError(() => queryInteger(value, 'numberOfResults', 25, 500));
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      fieldErrors: {
        numberOfResults: [
          {
            code: '[couldNotConvert]numberOfResults',
            message:
              'Invalid [numberOfResults]. The value could not be converted to the expected type.',
          },
        ],
      },
    });
  });
});

describe('pathId', () => {
  it('returns the canonical lower-case UUID', () => {
    expect(pathId('6B1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F', 'keyId')).toBe(
      '6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    );
  });

  it('refuses anything else with FusionAuth message, quoting the value', () => {
    const error = thrownError(() => pathId('nope', 'tenantId'));
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      fieldErrors: {
        tenantId: [
          {
            code: '[couldNotConvert]tenantId',
            message:
              'Invalid tenantId [nope]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
          },
        ],
      },
    });
  });

  it('quotes at most 64 characters of the value', () => {
    const error = thrownError(() => pathId('x'.repeat(100), 'keyId'));
    expect(error.body.fieldErrors?.keyId?.[0]?.message).toBe(
      `Invalid keyId [${'x'.repeat(64)}]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).`,
    );
  });
});
