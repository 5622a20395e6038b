import type { ServiceLog } from "../../calls/calls-service";
import { shipperConfig, shipperUsage, startRecordingShipper, type ShipperConfig } from "./recording-shipper";

// The PBX recording shipper, run beside each Asterisk in scale mode (dist/server/recording-shipper.mjs).
function line(level: string, details: object, message: string): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...details })}\n`);
}
const log: ServiceLog = { info: (d, m) => line("info", d, m), warn: (d, m) => line("warn", d, m), error: (d, m) => line("error", d, m) };

let config: ShipperConfig;
try {
  config = shipperConfig(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${shipperUsage}`);
  process.exit(2);
}

const shipper = startRecordingShipper(config, log);
console.log(`recording shipper: ${config.spoolDir} → ${config.serverUrl}`);

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  shipper
    .stop()
    .then(() => {
      console.log("stopped");
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
