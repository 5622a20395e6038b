import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { buildServer } from "./build-server";
import { CallChannels } from "./calls/call-channels";
import { CallHangups } from "./calls/call-hangups";
import { EndpointCache } from "./pbx/endpoint-cache";
import { CallsService, defaultEventMask, type ServiceLog } from "./calls/calls-service";
import { parseCliOptions, usage, type CliOptions } from "./cli-options";
import { countCompanies } from "./db/companies-repo";
import { migrateToLatest } from "./db/migrate";
import { clearAbandonedTariffImports } from "./operator/tariff-admin";
import { openDatabase } from "./db/open-database";
import { smtpMailer } from "./mail/mailer";
import { smtpOptionsFrom } from "./mail/smtp-config";
import { seedDemo } from "./seed/demo";
import { seedDemoCompanyCrm } from "./crm/demo-crm";
import { CreditsRuntime } from "./credits/credits-runtime";
import { RaterCache } from "./credits/rater-cache";
import { withCreditEffects } from "./credits/credits-writer";
import { CreditScheduler } from "./credits/scheduler";
import { PgLink } from "./db/pg-link";
import { ChangeWaits } from "./changes/change-waits";
import { advisoryJobLock, unsharedJobs } from "./jobs/job-lock";
import { describeRecordings, recordingPaths, setUpRecordings } from "./recordings/recordings-setup";
import { inProcessWriter } from "./db/writer/durable-writer";
import type { WriteContext } from "./db/writer/write-context";
import { startWorkerWriter, type WorkerWriter } from "./db/writer/worker-writer";
import { importWorker } from "./imports/import-parser";
import { importWorkerScript } from "./imports/import-worker-script";
import { VerificationService } from "./verification/verification-service";
import { VoicemailDrops } from "./voicemail/voicemail-drop";
import { VoicemailMailSender } from "./voicemail-mail/voicemail-mail-sender";
import { Coaching } from "./coaching/coaching-service";
import { keepAutoserviceBusy } from "./pbx/autoservice-keeper";
import { pbxLinks } from "./pbx/pbx-server-config";
import { SipBanAcl } from "./pbx/sip-ban-acl";
import { SipBanWatch, sipBanEventClass, sipBanSettingsFrom, type SipBanSettings } from "./pbx/sip-ban-watch";

const forcedExitAfterMs = 10_000;

function readOptions(): CliOptions & { sipBanSettings: SipBanSettings } {
  try {
    return { ...parseCliOptions(process.argv.slice(2), process.env), sipBanSettings: sipBanSettingsFrom(process.env) };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}

/** SQLite: commits on a worker thread (the bundle's sibling), so no fsync blocks authorize; null for PostgreSQL, whose driver never blocks. */
async function startSqliteWriter(options: CliOptions, log: WriteContext["log"]): Promise<WorkerWriter | null> {
  const script = new URL("./writer-worker.mjs", import.meta.url);
  if (options.database.kind !== "sqlite" || !existsSync(fileURLToPath(script))) return null;
  return startWorkerWriter({ file: options.database.file, script, log });
}

async function main(): Promise<void> {
  const options = readOptions();
  const db = await openDatabase(options.database);
  await migrateToLatest(db);
  await clearAbandonedTariffImports(db, Date.now());
  if (options.seedDemo && (await countCompanies(db)) === 0) await seedDemo(db).then(() => seedDemoCompanyCrm(db));

  // Logs go to stderr so stdout carries only the lines a launcher reads.
  const { pbx, sipBanSettings } = options;
  // The service exists before the app (its routes need it); it logs through the app's logger once there.
  const serviceLog: ServiceLog = {
    info: (details, message) => app.log.info(details, message),
    warn: (details, message) => app.log.warn(details, message),
    error: (details, message) => app.log.error(details, message),
  };
  const links = pbxLinks(pbx);
  // Several PBXs means several servers hear the same events: each applies only the verification calls it placed.
  const verification = links.length > 0 ? new VerificationService({ db, now: Date.now, log: serviceLog, ownCallsOnly: links.length > 1 }) : undefined;
  const hangups = links.length > 0 ? new CallHangups({ db, log: serviceLog }) : undefined;
  const endpointCache = links.length > 0 ? new EndpointCache({ log: serviceLog }) : undefined;
  // Each call's live channels, heard on every PBX: a voicemail drop acts on them through the Asterisk that reported them.
  const channels = links.length > 0 ? new CallChannels(Date.now) : undefined;
  const voicemailDrops = channels === undefined ? undefined : new VoicemailDrops({ db, channels, now: Date.now, log: serviceLog });
  // Coaching spies on a call's user channel, as the same AMI events name it.
  const coaching = new Coaching({ db, channels: channels ?? null, now: Date.now });
  const smtp = smtpOptionsFrom(process.argv.slice(2), process.env);
  const mailer = smtp === null ? undefined : smtpMailer(smtp);
  // Started before the import thread, which hands it a tariff's rows: one writer for SQLite's one write lock.
  const sqliteWriter = await startSqliteWriter(options, serviceLog);
  // Tariff and contact files are parsed on their own thread: authorize keeps answering during a 400,000-row import.
  const imports = importWorker(await importWorkerScript(), sqliteWriter === null ? {} : { tariffRowsPort: () => sqliteWriter.tariffRowsPort() });
  const trialCap = Number(process.env.CALLER_TRIAL_CAP_SECONDS);
  // The one credits of this server: a version's rater is built on the import thread, and shared with a writer on this thread.
  const credits = new CreditsRuntime({
    db,
    raters: new RaterCache((from, versionId) => imports.loadRater(from, versionId)),
    ...(Number.isSafeInteger(trialCap) && trialCap > 0 ? { trialCapSeconds: trialCap } : {}),
    mailer: mailer ?? null,
  });
  // After a commit on the writer's thread: low-balance mail, and the raters of ended calls let go.
  const writer = withCreditEffects(sqliteWriter ?? inProcessWriter(db, { log: serviceLog, raters: credits.raters }), credits);
  // PostgreSQL may have several servers: a link of their own carries the job locks.
  const link = options.database.kind === "postgres" ? new PgLink({ url: options.database.url, log: serviceLog }) : null;
  // Desktops waiting on the change feed hear a write made through any server at once.
  const changeWaits = new ChangeWaits({ link });
  const jobs = link === null ? unsharedJobs : advisoryJobLock(link);
  const scheduler = new CreditScheduler({ db, credits, now: Date.now, log: serviceLog, jobs });
  const recordingSetup = recordingPaths(process.argv.slice(2), process.env, options.database);
  const recordings = setUpRecordings({ db, paths: recordingSetup, now: Date.now, log: serviceLog });
  // Voicemail emails wait in their outbox for a mail server; without one none is sent.
  const voicemailMail = mailer === undefined ? null : new VoicemailMailSender({ db, mailer, storage: recordings.wiring.storage, now: Date.now, log: serviceLog });
  const app = buildServer({
    db,
    writer,
    imports,
    credits,
    logger: { level: process.env.CALLER_LOG_LEVEL ?? "info", stream: process.stderr },
    pbx,
    recordings: recordings.wiring,
    changeWaits,
    coaching,
    ...(verification ? { verification } : {}),
    ...(hangups ? { hangups } : {}),
    ...(endpointCache ? { endpointCache } : {}),
    ...(voicemailDrops ? { voicemailDrops } : {}),
    ...(channels ? { callChannels: channels } : {}),
    ...(mailer ? { mailer } : {}),
  });
  await app.listen({ port: options.port, host: options.host });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  console.log(`listening on http://${host}:${port}`);
  console.log(describeRecordings(recordingSetup));
  console.log(smtp === null ? "invitations: no SMTP (--smtp host:port or CALLER_SMTP_URL), the admin copies the link" : `invitations: SMTP ${smtp.host}:${smtp.port}`);
  // Its log lines go through the app's logger, which exists from here.
  await link?.start();
  scheduler.start();
  recordings.start();
  voicemailMail?.start();

  const calls: CallsService[] = [];
  // Every PBX's ACL kept equal to the bans in force, written by one server at a time.
  const sipBanAcl = links.length > 0 ? new SipBanAcl({ db, now: Date.now, log: serviceLog, jobs }) : undefined;
  if (pbx === null) {
    console.log("calls disabled: no PBX configured (--pbx-env FILE or PBX_* variables)");
  } else {
    // What pbx.sh's PBX_AUTHORIZE_URL and PBX_REALTIME_URL must point at.
    console.log(`pbx authorize url http://${host}:${port}/pbx/authorize`);
    console.log(`pbx realtime url http://${host}:${port}/pbx/realtime`);
    console.log(`sip websocket ${pbx.wsUrl}`);
    if (links.length === 0) console.log("call records: no AMI facts given, records come from authorize only");
    // One count of failed SIP authentications per source, fed by every PBX's security events.
    const sipBans = new SipBanWatch({ db, settings: sipBanSettings, now: Date.now, log: app.log, onBan: () => sipBanAcl?.nudge() });
    // One calls service per PBX: its own AMI connection, CDR store (if readable here) and write queue.
    for (const link of links) {
      const named = links.length > 1 ? ` (${link.name})` : "";
      console.log(`call records${named}: AMI ${link.ami.host}:${link.ami.port}${link.cdrStore === null ? "" : `, reconciled from ${link.cdrStore}`}`);
      const log = links.length > 1 ? app.log.child({ pbx: link.name }) : app.log;
      // Its session also asks for the security events the SIP ban watch counts.
      const service = new CallsService({ db, writer, raters: credits.raters, ami: link.ami, cdrStore: link.cdrStore, now: Date.now, log, eventMask: `${defaultEventMask},${sipBanEventClass}` });
      // Number verification calls go out on an AMI connection and read its events.
      verification?.attach(service.amiClient);
      // A verification result whose UserEvent was lost with the AMI connection is in its CDR.
      if (verification) service.onStoreCdrs((cdrs) => verification.handleCdrs(cdrs));
      // A revoked user's calls in progress are hung up through it.
      hangups?.attach(service.amiClient);
      // A retired user's endpoint is dropped from its realtime cache through it.
      endpointCache?.attach(service.amiClient);
      channels?.attach(service.amiClient);
      // An admin's coaching leg hanging up ends their session in the log.
      coaching.attach(service.amiClient);
      // Recordings are ingested after each hangup it reports, and paused through it.
      recordings.attach(service.amiClient);
      // Sources that keep failing SIP authentication are banned through the PBX's ACL (acl.conf, rewritten over this AMI).
      sipBans.attach(service.amiClient);
      sipBanAcl?.attach(service.amiClient);
      // One idle channel per PBX that keeps Asterisk's autoservice thread awake, for authorize's tail latency.
      keepAutoserviceBusy(service.amiClient, (error) => log.warn({ err: error instanceof Error ? error.message : String(error) }, "pbx: autoservice keeper not started"));
      service.start();
      calls.push(service);
    }
    sipBanAcl?.start();
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), forcedExitAfterMs).unref();
    Promise.all(calls.map((service) => service.stop()))
      .then(() => sipBanAcl?.close())
      .then(() => endpointCache?.close())
      .then(() => scheduler.stop())
      .then(() => recordings.stop())
      .then(() => voicemailMail?.stop())
      .then(() => app.close())
      .then(() => writer.close())
      .then(() => imports.close())
      .then(() => link?.close())
      .then(() => db.destroy())
      .then(() => console.log("stopped"))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
