import { createHash } from "node:crypto";

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

/** The Authorization header answering a 401's digest challenge (RFC 2617, MD5, no qop), for the test SIP clients. */
export function digestAuthorization(challenge: string, method: string, uri: string, user: string, password: string): string {
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? "";
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? "";
  const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
  return `Authorization: Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`;
}
