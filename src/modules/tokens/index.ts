export { apiTokenAuthenticator } from './token-auth.js';
export { tokenRoutes } from './tokens.routes.js';
