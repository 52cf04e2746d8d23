export { endSession, endUserSessions, liveSessionUser, startSession, type SignSessionToken, type StartedSession } from './sessions.service.js';
