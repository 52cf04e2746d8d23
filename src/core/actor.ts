import type { TokenScope } from '../domain/token-scopes.js';
import type { Role } from '../domain/vocabulary.js';

/** Who is acting: a signed-in person, or an API token acting for its creator. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Set when the request came with an API token: it acts for `id`, its creator. */
  token?: { id: string; name: string; scopes: readonly TokenScope[] };
  /** Set when the request came with a session token: the sign-in it belongs to. */
  sessionId?: string;
}
