export { findUserByEmail, findUserById } from './users.repo.js';
export { loginRoutes, userRoutes } from './users.routes.js';
export { authenticate, ensureFirstOwner, listUsers, logout, logoutEverywhere, updateUser } from './users.service.js';
