/** The contact and deal a call was placed from (a contact's or a deal's page). */
export interface DialLink {
  contactId: string | null;
  dealId: string | null;
}

const kept = 50;

/**
 * Which CRM page each recent call started on, by the app's client call id,
 * so the call screen can show the contact while the call rings (the server's
 * copy of the link arrives with the call record, after it ends).
 */
export class DialLinks {
  private readonly links = new Map<string, DialLink>();

  remember(clientCallId: string, link: DialLink): void {
    this.links.set(clientCallId, link);
    for (const oldest of this.links.keys()) {
      if (this.links.size <= kept) break;
      this.links.delete(oldest);
    }
  }

  of(clientCallId: string): DialLink | null {
    return this.links.get(clientCallId) ?? null;
  }
}
