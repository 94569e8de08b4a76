import type { Role } from './roles.js';

/** Who is calling, as established by the global guard. Passed to services as the actor. */
export interface Actor {
  id: string;
  role: Role;
  firmId: string | null;
  name: string;
  email: string;
}

export interface AuthContext {
  user: Actor;
  sessionId: string;
  pendingStep: 'mfa' | 'mfa_enrol' | null;
  emailVerified: boolean;
  mfaEnabled: boolean;
}

/** Facts about the request that the audit trail records beside the actor. */
export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
}
