import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Knex } from "knex";
import { encode } from "node-wav";
import { hashSessionToken, newSessionToken, sessionTtlMs } from "../../auth/session-token";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../db/sessions-repo";
import { createUser, findUserByEmail, type UserRecord } from "../../db/users-repo";

/** A mono 16-bit WAV as MixMonitor writes it: a sine of `amplitude` (0: silence) for `seconds`. */
export function toneWav(seconds: number, amplitude: number, sampleRate = 8000, hz = 440): Buffer {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i += 1) samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return encode([samples], { sampleRate, bitDepth: 16 });
}

export interface TempDir {
  path: string;
  file(name: string, bytes: Buffer): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async file(name, bytes) {
      await writeFile(join(path, name), bytes);
      return join(path, name);
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

let nextUniqueid = 1;

/** A call row as authorize + CDR leave it (status ended unless given); returns its id and PBX uniqueid. */
export async function insertCall(db: Knex, user: { id: number; companyId: number }, status: "authorized" | "ended" = "ended"): Promise<{ id: number; uniqueid: string; clientCallId: string }> {
  const uniqueid = `caller-test-1732400000.${nextUniqueid++}`;
  const clientCallId = `00000000-0000-4000-8000-${String(nextUniqueid).padStart(12, "0")}`;
  const [row] = await db("calls")
    .insert({
      company_id: user.companyId,
      user_id: user.id,
      pbx_uniqueid: uniqueid,
      client_call_id: clientCallId,
      number: "+12015550123",
      direction: "outbound",
      status,
      started_at: 1_700_000_000_000,
      answered_at: 1_700_000_001_000,
      ended_at: status === "ended" ? 1_700_000_004_000 : null,
      billed_seconds: status === "ended" ? 3 : 0,
      disposition: status === "ended" ? "answered" : "in_progress",
      updated_at: 1_700_000_004_000,
    })
    .returning<{ id: number }[]>("id");
  if (row === undefined) throw new Error("no call inserted");
  return { id: Number(row.id), uniqueid, clientCallId };
}

/** A session token for an existing user, without the sign-in route's scrypt. */
export async function tokenFor(db: Knex, email: string, now: number): Promise<string> {
  const user = await findUserByEmail(db, email);
  if (user === undefined) throw new Error(`no user ${email}`);
  const token = newSessionToken();
  await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, createdAt: now, expiresAt: now + sessionTtlMs });
  return token;
}

export async function addRegularUser(db: Knex, companyId: number, email: string, now: number): Promise<UserRecord> {
  return createUser(db, { companyId, email, name: email, role: "regular", callerEnabled: true, locale: null, passwordHash: await hashPassword("unused-password") }, now);
}

/** A two-channel 16-bit WAV as the desktop writes it: a tone on the user's side, a quieter one on the other party's. */
export function stereoWav(seconds: number, sampleRate = 16_000): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const user = new Float32Array(frames);
  const other = new Float32Array(frames);
  for (let i = 0; i < frames; i += 1) {
    user[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate);
    other[i] = 0.25 * Math.sin((2 * Math.PI * 660 * i) / sampleRate);
  }
  return encode([user, other], { sampleRate, bitDepth: 16 });
}
