import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { CallerError } from "../../src-shared/errors";
import { decodeWav, encodeWav16, twoChannel, type PcmAudio } from "./wav-audio";

/** What MixMonitor left for one call: the user's side (r), the other party's (t), and the mix. */
export interface RecordingSource {
  uniqueid: string;
  user?: string;
  other?: string;
  mix?: string;
}

async function decodeFile(path: string): Promise<PcmAudio> {
  return decodeWav(await readFile(path), basename(path));
}

/** Two channels from the r()/t() pair; the mix alone (mono) only when the pair is missing. */
export async function loadAudio(source: RecordingSource): Promise<PcmAudio> {
  if (source.user !== undefined && source.other !== undefined) return twoChannel(await decodeFile(source.user), await decodeFile(source.other));
  if (source.mix !== undefined) return decodeFile(source.mix);
  throw new CallerError("bad_request", `No recording files for call ${source.uniqueid}`);
}

/**
 * The one WAV a PBX call's recording becomes, the same bytes whoever makes it: the server from the
 * spool it shares with Asterisk, or the shipper beside an Asterisk that shares no disk with it.
 */
export async function pbxRecordingWav(source: RecordingSource): Promise<Buffer> {
  return encodeWav16(await loadAudio(source));
}
