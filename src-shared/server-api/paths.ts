/** The server's HTTP routes, so the desktop's sync client and the server cannot drift apart. */
export const serverPaths = {
  health: "/api/health",
  signIn: "/api/auth/sign-in",
  signOut: "/api/auth/sign-out",
  me: "/api/me",
  company: "/api/company",
  changes: "/api/changes",
  sipConfig: "/api/sip/config",
  callQuality: "/api/calls/quality",
  adminUsers: "/api/admin/users",
  adminCompany: "/api/admin/company",
} as const;
