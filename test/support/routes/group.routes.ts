import { SecuredRoute } from '../secured-route';

export const GROUP_ROUTES: SecuredRoute[] = [];
