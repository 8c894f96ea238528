import { SecuredRoute } from '../secured-route';

export const REGISTRATION_ROUTES: SecuredRoute[] = [];
