import { SecuredRoute } from '../secured-route';

export const CLUSTER_ROUTES: SecuredRoute[] = [
  { method: 'GET', path: '/api/system/cluster', endpoint: '/api/system/cluster', globalOnly: true },
  {
    method: 'POST',
    path: '/api/system/cluster/probe',
    endpoint: '/api/system/cluster/probe',
    globalOnly: true,
    query: '?timeoutMs=100',
  },
];
