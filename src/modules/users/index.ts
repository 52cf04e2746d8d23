export { findUserByEmail, findUserById } from './users.repo.js';
export { loginRoutes, userRoutes } from './users.routes.js';
export { ensureFirstOwner, updateUser } from './users.service.js';
