import { ENDPOINTS, HTTP_METHODS } from '../auth/endpoint-permissions';

export interface AdminEndpoint {
  name: string;
  methods: string[];
  globalOnly: boolean;
  extension: boolean;
}

/** The permission table as the page draws it: rows in table order, methods in column order. */
export function adminEndpoints(): { endpoints: AdminEndpoint[]; methods: string[] } {
  return {
    methods: [...HTTP_METHODS],
    endpoints: Object.entries(ENDPOINTS).map(([name, definition]) => ({
      name,
      methods: HTTP_METHODS.filter((method) => definition.methods.includes(method)),
      globalOnly: definition.globalOnly,
      extension: definition.extension === true,
    })),
  };
}
