import { lagHistogram } from './lag-histogram';

const bucket = (event: string, le: string, value: number) => ({
  metricName: 'portcullis_bus_propagation_lag_seconds_bucket',
  labels: { event, le },
  value,
});

describe('lagHistogram', () => {
  it('is empty before any change was timed', () => {
    expect(lagHistogram([])).toEqual({ boundsMs: [], counts: [0], count: 0 });
  });

  it('adds the events together and turns cumulative buckets into per-bucket counts', () => {
    const histogram = lagHistogram([
      bucket('update', '0.001', 2),
      bucket('update', '0.005', 3),
      bucket('update', '+Inf', 4),
      bucket('delete', '0.001', 1),
      bucket('delete', '0.005', 1),
      bucket('delete', '+Inf', 1),
      { metricName: 'portcullis_bus_propagation_lag_seconds_sum', labels: {}, value: 9 },
      { metricName: 'portcullis_bus_propagation_lag_seconds_count', labels: {}, value: 5 },
    ]);
    expect(histogram).toEqual({ boundsMs: [1, 5], counts: [3, 1, 1], count: 5 });
  });
});
