import { RequestTally } from './request.tally';

describe('RequestTally', () => {
  it('renders counts, cumulative buckets and sums per route, method and status', () => {
    const tally = new RequestTally();
    tally.record('/api/api-key/:id', 'GET', 200, 0.0004);
    tally.record('/api/api-key/:id', 'GET', 200, 0.003);
    tally.record('/api/api-key/:id', 'GET', 200, 7);
    tally.record('/api/api-key/:id', 'GET', 401, 0.0001);
    const text = tally.render();
    const labels = 'route="/api/api-key/:id",method="GET",status="200"';
    expect(text).toContain('# TYPE portcullis_http_request_duration_seconds histogram\n');
    expect(text).toContain('# TYPE portcullis_http_requests_total counter\n');
    expect(text).toMatch(new RegExp(`portcullis_http_requests_total\\{${escape(labels)}\\} 3\\n`));
    const bucket = (le: string) =>
      text.match(
        new RegExp(
          `portcullis_http_request_duration_seconds_bucket\\{le="${escape(le)}",${escape(labels)}\\} (\\d+)`,
        ),
      )?.[1];
    expect(bucket('0.0005')).toBe('1');
    expect(bucket('0.0025')).toBe('1');
    expect(bucket('0.005')).toBe('2');
    expect(bucket('2.5')).toBe('2');
    expect(bucket('+Inf')).toBe('3');
    const sum = text.match(
      new RegExp(`portcullis_http_request_duration_seconds_sum\\{${escape(labels)}\\} (\\S+)`),
    )?.[1];
    expect(Number(sum)).toBeCloseTo(7.0034, 10);
    expect(text).toContain(`portcullis_http_request_duration_seconds_count{${labels}} 3\n`);
    expect(text).toContain(
      'portcullis_http_requests_total{route="/api/api-key/:id",method="GET",status="401"} 1\n',
    );
  });

  it('keeps one series per route, method and status, in the order each first appeared', () => {
    const tally = new RequestTally();
    const calls: [string, string, number][] = [
      ['/api/user/:id', 'GET', 200],
      ['/api/user/:id', 'DELETE', 200],
      ['/api/user/:id', 'GET', 404],
      ['/api/group/:id', 'GET', 200],
      ['/api/user/:id', 'GET', 200],
    ];
    for (const [route, method, status] of calls) tally.record(route, method, status, 0.001);
    const totals = tally
      .render()
      .split('\n')
      .filter((line) => line.startsWith('portcullis_http_requests_total{'));
    expect(totals).toEqual([
      'portcullis_http_requests_total{route="/api/user/:id",method="GET",status="200"} 2',
      'portcullis_http_requests_total{route="/api/user/:id",method="DELETE",status="200"} 1',
      'portcullis_http_requests_total{route="/api/user/:id",method="GET",status="404"} 1',
      'portcullis_http_requests_total{route="/api/group/:id",method="GET",status="200"} 1',
    ]);
  });

  it('escapes label values', () => {
    const tally = new RequestTally();
    tally.record('a"b\\c\nd', 'GET', 404, 0.001);
    expect(tally.render()).toContain(
      'portcullis_http_requests_total{route="a\\"b\\\\c\\nd",method="GET",status="404"} 1\n',
    );
  });

  it('renders both families with no requests yet', () => {
    expect(new RequestTally().render()).toBe(
      [
        '# HELP portcullis_http_request_duration_seconds HTTP requests by route, method and status, with their latency.',
        '# TYPE portcullis_http_request_duration_seconds histogram',
        '',
        '# HELP portcullis_http_requests_total HTTP requests by route, method and status.',
        '# TYPE portcullis_http_requests_total counter',
        '',
      ].join('\n'),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
