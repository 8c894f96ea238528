import { SecuredRoute } from '../secured-route';

export const STATUS_ROUTES: SecuredRoute[] = [
  // Without credentials /api/status answers its one-value form; with them, they are judged.
  { method: 'GET', path: '/api/status', endpoint: '/api/status', globalOnly: true, optional: true },
  { method: 'GET', path: '/api/system/version', endpoint: '/api/system/version' },
  {
    method: 'GET',
    path: '/api/prometheus/metrics',
    endpoint: '/api/prometheus/metrics',
    globalOnly: true,
  },
];
