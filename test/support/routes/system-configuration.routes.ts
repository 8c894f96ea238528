import { SecuredRoute } from '../secured-route';

const endpoint = '/api/system-configuration';
const body = () => ({ systemConfiguration: {} });

export const SYSTEM_CONFIGURATION_ROUTES: SecuredRoute[] = [
  { method: 'GET', path: '/api/system-configuration', endpoint, globalOnly: true },
  { method: 'PUT', path: '/api/system-configuration', endpoint, globalOnly: true, body },
  { method: 'PATCH', path: '/api/system-configuration', endpoint, globalOnly: true, body },
];
