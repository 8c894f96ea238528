import { ENDPOINTS } from '../auth/endpoint-permissions';
import { adminEndpoints } from './admin.endpoints';

describe('adminEndpoints', () => {
  it('lists every endpoint of the permission table, in its order, methods in column order', () => {
    const { methods, endpoints } = adminEndpoints();
    expect(methods).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    expect(endpoints.map((endpoint) => endpoint.name)).toEqual(Object.keys(ENDPOINTS));
    for (const endpoint of endpoints) {
      expect([...endpoint.methods].sort()).toEqual([...ENDPOINTS[endpoint.name].methods].sort());
      expect(endpoint.methods).toEqual(methods.filter((m) => endpoint.methods.includes(m)));
    }
    expect(endpoints.find((e) => e.name === '/api/system/cluster')).toEqual({
      name: '/api/system/cluster',
      methods: ['GET'],
      globalOnly: true,
      extension: true,
    });
  });
});
