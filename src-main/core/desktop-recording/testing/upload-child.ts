import { openStore } from "../../store/open-store";
import { DesktopRecorder } from "../desktop-recorder";

// The core's upload side in its own process, for the test to kill -9 mid-upload:
// `<store file> <recordings dir> <server url> <token> <user id>`. Prints "sent <bytes> of <total>" on progress.
const [file, dir, url, token, userId] = process.argv.slice(2);
const store = await openStore({ file: file! });
const recorder = new DesktopRecorder({
  db: store.knex,
  dir: dir!,
  session: () => Promise.resolve({ serverUrl: url!, baseUrl: url!, token: token!, userId: Number(userId) }),
  emit: (upload) => process.stdout.write(`${upload.state} sent ${upload.sentBytes} of ${upload.totalBytes}\n`),
  backoff: { baseMs: 50, maxMs: 200 },
});
await recorder.recover();
setInterval(() => undefined, 60_000);
