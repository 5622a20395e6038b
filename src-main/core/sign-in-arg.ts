/** "EMAIL:PASSWORD" from a launcher flag or environment variable (the embedded demo signs its admin in this way). */
export function parseSignInArg(value: string | undefined): { email: string; password: string } | null {
  if (!value) return null;
  const at = value.indexOf(":");
  if (at < 1 || at === value.length - 1) throw new Error("sign-in takes EMAIL:PASSWORD");
  return { email: value.slice(0, at), password: value.slice(at + 1) };
}

/** Signs in with the given credentials unless somebody already is. */
export async function signInUnlessSignedIn(
  handlers: { getSession(r: object): Promise<{ signedIn: boolean }>; signIn(r: { email: string; password: string }): Promise<unknown> },
  credentials: { email: string; password: string } | null,
): Promise<void> {
  if (!credentials) return;
  if (!(await handlers.getSession({})).signedIn) await handlers.signIn(credentials);
}
