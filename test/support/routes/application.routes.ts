import { SecuredRoute } from '../secured-route';

export const APPLICATION_ROUTES: SecuredRoute[] = [];
