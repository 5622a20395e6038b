import Fastify, { type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Knex } from "knex";
import { installAccessControl } from "./http/access";
import type { App, ServerDeps } from "./http/app";
import { installErrorHandling } from "./http/error-handler";
import { FastLane } from "./http/fast-lane";
import type { CallHangups } from "./calls/call-hangups";
import type { EndpointCache } from "./pbx/endpoint-cache";
import { defaultDestinationPolicy, type DestinationPolicy } from "./calls/destination-policy";
import type { PbxServerConfig } from "./pbx/pbx-server-config";
import { inProcessWriter, type DurableWriter } from "./db/writer/durable-writer";
import { registerAdminRoutes } from "./routes/admin-routes";
import { registerAuthRoutes } from "./routes/auth-routes";
import { registerCallsRoutes } from "./routes/calls-routes";
import { registerDialerRoutes } from "./dialer/dialer-routes";
import { ChangeWaits } from "./changes/change-waits";
import { registerChangesRoutes } from "./routes/changes-routes";
import { registerConnectedNumberRoutes } from "./routes/connected-number-routes";
import { registerPhoneReadinessRoutes } from "./routes/phone-readiness-routes";
import { registerCompanyRoutes } from "./routes/company-routes";
import { registerCrmRoutes } from "./routes/crm-routes";
import { registerCreditsRoutes } from "./routes/credits-routes";
import { registerCompanyAdminRoutes } from "./routes/company-admin-routes";
import type { Mailer } from "./mail/mailer";
import { registerHealthRoutes } from "./routes/health-routes";
import { registerPbxRoutes } from "./routes/pbx-routes";
import { registerRecordingsRoutes, type RecordingsWiring } from "./routes/recordings-routes";
import { registerShippedRecordingRoutes } from "./recordings/shipped-recording-routes";
import { registerSipRoutes } from "./routes/sip-routes";
import { registerVerificationRoutes } from "./routes/verification-routes";
import { registerOperatorRoutes } from "./routes/operator-routes";
import { registerOperatorTariffRoutes } from "./routes/operator-tariff-routes";
import { registerOperatorSipBanRoutes } from "./routes/operator-sip-ban-routes";
import type { DestinationBlocks } from "./calls/destination-blocks";
import { CreditsRuntime } from "./credits/credits-runtime";
import { RaterCache } from "./credits/rater-cache";
import { withCreditEffects } from "./credits/credits-writer";
import { InvoicePaymentProvider, type PaymentProvider } from "./credits/payment-provider";
import { debianNotoCjk, invoiceFontLoader, type InvoiceFontFiles } from "./credits/invoice-font";
import { newDestinationBlocks } from "./operator/destination-rules";
import { PolicySync, policyPollMs } from "./operator/policy-sync";
import type { VerificationService } from "./verification/verification-service";
import { inlineImportParser, type ImportParser } from "./imports/import-parser";
import { registerDropMediaRoute } from "./voicemail/drop-media-route";
import { registerGreetingRoutes } from "./voicemail/greeting-routes";
import { registerInboundPbxRoute } from "./inbound/inbound-pbx-route";
import { registerInboundRoutes } from "./inbound/inbound-routes";
import { registerVoicemailEmailRoutes } from "./voicemail-mail/voicemail-mail-routes";
import type { VoicemailDrops } from "./voicemail/voicemail-drop";
import { registerCoachingRoutes } from "./coaching/coaching-routes";
import { Coaching } from "./coaching/coaching-service";
import type { CallChannels } from "./calls/call-channels";
import { CallTransfers } from "./transfers/call-transfers";
import { registerTransferRoutes } from "./transfers/transfer-routes";
import { registerConsultPbxRoute } from "./transfers/consult-pbx-route";
import { registerTransferLegPbxRoute } from "./transfers/transfer-leg-pbx-route";

export interface ServerOptions {
  /** A migrated database; the caller owns it and destroys it after `app.close()`. */
  db: Knex;
  now?: () => number;
  /** Default: group commit on `db` in this thread. The caller owns it and closes it after `app.close()`. */
  writer?: DurableWriter;
  logger?: FastifyServerOptions["logger"];
  /** The PBX the server authorizes and serves endpoints for; null or absent: calls disabled. */
  pbx?: PbxServerConfig | null;
  destinationPolicy?: DestinationPolicy;
  /** Number verification calls; absent: its routes are not served. */
  verification?: VerificationService;
  /** Recording storage and the PBX side of pause/resume; absent: no recordings are served. */
  recordings?: RecordingsWiring;
  /** Invitation emails; absent: the admin gets the invitation link to hand over. */
  mailer?: Mailer;
  /** Ends a revoked user's calls in progress over AMI; absent: revoking only retires the endpoint. */
  hangups?: CallHangups;
  /** Drops a retired endpoint from every PBX's realtime cache over AMI; absent: no PBX over AMI. */
  endpointCache?: EndpointCache;
  /** Plays a greeting into an answered call over AMI; absent: the drop route answers 404. */
  voicemailDrops?: VoicemailDrops;
  /** Admins' coaching of live calls; default: without the calls' live channels (nothing can be joined). */
  coaching?: Coaching;
  /** Each call's live channels heard over AMI; with `pbx`, calls can be transferred, else the transfer route answers 404. */
  callChannels?: CallChannels;
  /** How credit is paid for; default: by invoice, under each company's invoice limit. */
  paymentProvider?: PaymentProvider;
  /** The operator's destination blocks as authorize reads them; default: the IRSF ranges plus the stored rules. */
  blocks?: DestinationBlocks;
  /** The CJK font invoices embed; default: Debian's fonts-noto-cjk. */
  invoiceFonts?: InvoiceFontFiles;
  /** Parses imported files; default: on this thread. The caller owns it and closes it after `app.close()`. */
  imports?: ImportParser;
  /** Wakes long-polling readers of the change feed; default: re-reads every second (no NOTIFY). */
  changeWaits?: ChangeWaits;
  /**
   * The server's credits (tariff, trial cap); the caller builds it with the
   * writer it gives. Default: built here, its raters built by `imports`.
   */
  credits?: CreditsRuntime;
  /** How often operator changes made elsewhere (another server, the CLI) are read; 0: never (tests poll by hand). */
  policyPollMs?: number;
}

/** The company server, routes registered, not yet listening (tests use `inject`). */
export function buildServer(options: ServerOptions): App {
  // The PBX's authorize is answered ahead of Fastify's pipeline, with Fastify's own route as its declaration.
  const lane = new FastLane();
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 256 * 1024, serverFactory: lane.serverFactory }).withTypeProvider<ZodTypeProvider>();
  lane.log = app.log;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const { db } = options;
  const imports = options.imports ?? inlineImportParser();
  // A version not yet held (at start, after another process imported or restored one) is read and built where files are parsed.
  const credits = options.credits ?? new CreditsRuntime({ db, raters: new RaterCache((from, id) => imports.loadRater(from, id)), mailer: options.mailer ?? null });
  const writer = options.writer ?? withCreditEffects(inProcessWriter(db, { log: app.log, raters: credits.raters }), credits);
  const deps: ServerDeps = { db, now: options.now ?? Date.now, writer, imports, credits };
  installErrorHandling(app);
  installAccessControl(app, deps);

  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerCompanyRoutes(app, deps);
  registerChangesRoutes(app, deps, options.changeWaits ?? new ChangeWaits({ link: null }));
  registerAdminRoutes(app, deps, options.hangups ?? null, options.endpointCache ?? null);
  registerCompanyAdminRoutes(app, deps, options.mailer ?? null, options.endpointCache ?? null);
  registerSipRoutes(app, deps, options.pbx ?? null);
  registerCallsRoutes(app, deps);
  const provider = options.paymentProvider ?? new InvoicePaymentProvider();
  registerCreditsRoutes(app, deps, invoiceFontLoader(options.invoiceFonts ?? debianNotoCjk), provider);
  registerConnectedNumberRoutes(app, deps);
  registerPhoneReadinessRoutes(app, deps);
  registerRecordingsRoutes(app, deps, options.recordings ?? null);
  registerCrmRoutes(app, deps);
  registerGreetingRoutes(app, deps, options.recordings?.storage ?? null, options.voicemailDrops ?? null);
  registerInboundRoutes(app, deps);
  registerVoicemailEmailRoutes(app, deps, options.mailer !== undefined);
  if (options.verification) registerVerificationRoutes(app, options.verification);
  registerCoachingRoutes(app, deps, options.coaching ?? new Coaching({ db, channels: null, now: deps.now }), options.pbx ?? null);

  const blocks = options.blocks ?? newDestinationBlocks();
  registerDialerRoutes(app, deps, { ...(options.destinationPolicy ?? defaultDestinationPolicy), blocks });
  registerOperatorRoutes(app, deps, provider);
  registerOperatorTariffRoutes(app, deps, blocks);
  registerOperatorSipBanRoutes(app, deps);
  // Operator changes made by another process reach this one's tariff, blocks and balances.
  const policy = new PolicySync({ db: deps.db, credits: deps.credits, blocks, now: deps.now, log: app.log });
  app.addHook("onReady", () => policy.start(options.policyPollMs ?? policyPollMs));
  app.addHook("onClose", () => policy.stop());

  const destinationPolicy = { ...(options.destinationPolicy ?? defaultDestinationPolicy), blocks };
  if (options.pbx) registerPbxRoutes(app, deps, options.pbx, destinationPolicy, lane);
  // A transfer's new leg is checked against the same policy authorize uses, blocks included.
  const transfers = options.pbx && options.callChannels ? new CallTransfers({ db, channels: options.callChannels, policy: () => destinationPolicy, now: deps.now, log: app.log }) : null;
  registerTransferRoutes(app, db, transfers);
  if (options.pbx) registerInboundPbxRoute(app, deps, options.pbx);
  if (options.pbx) registerConsultPbxRoute(app, deps, options.pbx, options.callChannels ?? null);
  if (options.pbx) registerTransferLegPbxRoute(app, deps, options.pbx);
  // MixMonitor's recordings from a shipper beside an Asterisk that shares no disk with this server.
  if (options.pbx && options.recordings) registerShippedRecordingRoutes(app, deps, options.pbx, options.recordings.storage);
  // A voicemail drop's greeting, fetched by the PBX's Playback over HTTP (no disk shared with it either).
  if (options.pbx && options.recordings) registerDropMediaRoute(app, deps, options.recordings.storage, options.pbx.peers);
  return app;
}
