export { DECOY_HASH_PROMISE, generatePassword, hashPassword, verifyPassword } from './passwords.js';
