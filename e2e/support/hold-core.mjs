// Test-only, given to the Node host with --import: its core's chunk loads only once the file
// named by CALLER_TEST_CORE_GATE exists. The host's thread stays free meanwhile (module hooks
// run on their own thread), so a test sees the page exactly as it is before the core is up.
import { register } from "node:module";

const gate = process.env.CALLER_TEST_CORE_GATE;
if (gate) register("./hold-core-hooks.mjs", import.meta.url, { data: { gate } });
