export { decoyHash, generatePassword, hashPassword, PASSWORD_COST, TEST_PASSWORD_COST, usePasswordCost, verifyPassword } from './passwords.js';
