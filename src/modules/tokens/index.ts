export { apiTokenAuthenticator } from './token-auth.js';
export { tokenRoutes } from './tokens.routes.js';
export { CreateToken } from './tokens.schemas.js';
export { createToken, listTokens, revokeToken } from './tokens.service.js';
