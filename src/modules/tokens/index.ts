export { actorForApiToken, bearerApiToken } from './token-auth.js';
export { tokenRoutes } from './tokens.routes.js';
