// The package ships no types; this covers the part ami-client.ts uses.
declare module "asterisk-manager" {
  /** Header names arrive lowercased; repeated headers become arrays, Variable/ChanVariable an object. */
  export type RawAmiValue = string | string[] | Record<string, string>;
  export type RawAmiMessage = Record<string, RawAmiValue | undefined>;
  /** Objects are written as one `Key: name=value` line per entry, arrays joined with ','. */
  export type RawActionValue = string | string[] | Record<string, string>;

  export interface ManagerInstance {
    on(event: string, listener: (...args: never[]) => void): void;
    once(event: string, listener: (...args: never[]) => void): void;
    removeListener(event: string, listener: (...args: never[]) => void): void;
    removeAllListeners(event?: string): void;
    /** Opens the TCP connection; the callback runs once it is established. */
    connect(port: number, host: string, callback?: () => void): void;
    /** Logs in with the constructor's credentials; the callback gets the error response on refusal. */
    login(callback?: (error?: RawAmiMessage) => void): void;
    /** Queues the action until login when not authenticated: never call it before login succeeded. */
    action(action: Record<string, RawActionValue>, callback?: (error: RawAmiMessage | undefined, response: RawAmiMessage) => void): string;
    disconnect(callback?: () => void): void;
    isConnected(): boolean;
  }

  export default function Manager(
    port?: number,
    host?: string,
    username?: string,
    password?: string,
    events?: boolean,
  ): ManagerInstance;
}
