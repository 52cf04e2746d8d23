export { findUserByEmail, findUserById } from './users.repo.js';
export { loginRoutes, userRoutes } from './users.routes.js';
export { CreateUser } from './users.schemas.js';
export { authenticate, createUser, deleteUser, ensureFirstOwner, listUsers, logout, logoutEverywhere, updateUser } from './users.service.js';
