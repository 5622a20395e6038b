import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import {
  BlocksReply,
  DestinationRuleBody,
  OperatorTariffImportBody,
  RatesQuery,
  RatesReply,
  TariffImportReply,
  TariffPreviewBody,
  TariffPreviewReply,
  TariffRestoreReply,
  TariffVersionsReply,
  maxTariffCsvChars,
  operatorPaths,
} from "../../src-shared/server-api/operator";
import type { DestinationBlocks } from "../calls/destination-blocks";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { listRates, ratesCsvFile } from "../credits/rates-query";
import type { TariffVersionRecord } from "../credits/tariff-repo";
import { operatorOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { sendJsonBodiesToImports, uploadOf } from "../imports/upload-body";
import { blocksReply, removeDestinationRule, setDestinationRule } from "../operator/destination-rules";
import { importTariff, previewTariff, restoreTariff, tariffVersionsReply } from "../operator/tariff-admin";

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const RatesCsvQuery = RatesQuery.pick({ version: true });
const operator = { config: { access: "operator" as const } };
/** The largest file JSON-escaped (quotes and line ends grow), with room for the other fields. */
export const tariffBodyLimit = Math.ceil(maxTariffCsvChars * 1.25);

/** The version asked for, or the one in force. */
function versionOf(credits: CreditsRuntime, version: number | undefined, now: number): TariffVersionRecord | null {
  if (version === undefined) return credits.currentVersion(now);
  const found = credits.versions().find((v) => v.id === version);
  if (found === undefined) throw new CallerError("not_found", `No tariff version ${version}`);
  return found;
}

/** The operator owns the tariff (preview, import, versions, restore) and the destination blocks. */
export function registerOperatorTariffRoutes(app: App, deps: ServerDeps, blocks: DestinationBlocks): void {
  const { db, credits } = deps;
  const change = (request: Parameters<typeof operatorOf>[0]) => ({ actor: operatorOf(request).email, now: deps.now() });

  app.get(operatorPaths.tariffVersions, { ...operator, schema: { response: { 200: TariffVersionsReply } } }, async () => {
    await credits.ready(deps.now());
    return tariffVersionsReply(credits, deps.now());
  });

  app.get(operatorPaths.tariffRates, { ...operator, schema: { querystring: RatesQuery, response: { 200: RatesReply } } }, async (request) => {
    await credits.ready(deps.now());
    return listRates(db, versionOf(credits, request.query.version, deps.now()), request.query);
  });

  app.get(operatorPaths.tariffRatesCsv, { ...operator, schema: { querystring: RatesCsvQuery } }, async (request, reply) => {
    await credits.ready(deps.now());
    const file = await ratesCsvFile(db, versionOf(credits, request.query.version, deps.now()));
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${file.fileName}"`).send(file.csv);
  });

  // A file's body is read and checked against TariffPreviewBody / OperatorTariffImportBody on the import thread, not here.
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    sendJsonBodiesToImports(scope, deps.imports);
    scope.post(operatorPaths.tariffPreview, { ...operator, bodyLimit: tariffBodyLimit, schema: { response: { 200: TariffPreviewReply } } }, (request) =>
      previewTariff(db, credits, deps.imports, uploadOf(request.body, TariffPreviewBody), deps.now()),
    );
    scope.post(operatorPaths.tariffImport, { ...operator, bodyLimit: tariffBodyLimit, schema: { response: { 200: TariffImportReply } } }, (request) =>
      importTariff(db, credits, deps.imports, uploadOf(request.body, OperatorTariffImportBody), change(request)),
    );
    done();
  });

  app.post(operatorPaths.tariffRestore, { ...operator, schema: { params: IdParams, response: { 200: TariffRestoreReply } } }, async (request) => ({
    version: await restoreTariff(db, credits, deps.imports, request.params.id, change(request)),
  }));

  app.get(operatorPaths.blocks, { ...operator, schema: { response: { 200: BlocksReply } } }, () => blocksReply(db));

  app.post(operatorPaths.blocks, { ...operator, schema: { body: DestinationRuleBody, response: { 200: BlocksReply } } }, async (request) => {
    await setDestinationRule(db, blocks, request.body, change(request));
    return blocksReply(db);
  });

  app.delete(operatorPaths.block, { ...operator, schema: { params: IdParams, response: { 200: BlocksReply } } }, async (request) => {
    await removeDestinationRule(db, blocks, request.params.id, change(request));
    return blocksReply(db);
  });
}
