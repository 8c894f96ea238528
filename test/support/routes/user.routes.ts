import { SecuredRoute } from '../secured-route';

export const USER_ROUTES: SecuredRoute[] = [];
