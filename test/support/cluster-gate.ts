/** `describe`, or `describe.skip` when the global setup found no MySQL and Redis to run a cluster on. */
export const describeCluster: jest.Describe =
  process.env.TEST_CLUSTER === 'no' ? describe.skip : describe;
