// What the call benches (call-setup, power-dialer) share: their own Chromium and Asterisk, the call rig
// on them, the JsSIP far end answering at once, and the app signed in as the demo sales user.
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { SignInReply } from "../src-shared/server-api/auth";
import { serverPaths } from "../src-shared/server-api/paths";
import { demoCredentials } from "../src-server/seed/demo";
import { startCallRig, type CallRig } from "../e2e/support/call-app";
import { startChromium } from "../e2e/support/chromium";
import { FarEnd } from "../e2e/support/far-end";
import { startSharedPbx } from "../e2e/support/shared-pbx";
import { waitFor } from "../e2e/support/wait";

export interface CallBench {
  browser: Browser;
  rig: CallRig;
  farEnd: FarEnd;
  /** The demo sales user's bearer token for the server's API. */
  salesToken: string;
  /** The app in a new window, signed in as the sales user and registered; closed when the bench ends. */
  openApp(): Promise<Page>;
}

/** Starts everything, runs `use`, then stops what started, last first, whatever happens. */
export async function withCallBench(name: string, use: (bench: CallBench) => Promise<void>): Promise<void> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const chromiumProcess = await startChromium();
    cleanups.push(() => chromiumProcess.stop());
    const pbx = await startSharedPbx();
    cleanups.push(() => pbx.instance.stop({ purge: true }));
    const rig = await startCallRig(name, { ...pbx.shared, facts: pbx.instance.facts });
    cleanups.push(() => rig.stop());
    const browser = await playwright.connectOverCDP(chromiumProcess.wsEndpoint);
    const farEnd = await FarEnd.start(browser, { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
    cleanups.push(() => farEnd.stop());
    await farEnd.setAction({ kind: "answer", afterMs: 0 });

    const { email, password } = demoCredentials.sales;
    const signIn = SignInReply.parse(await (await fetch(`${rig.server.url}${serverPaths.signIn}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) })).json());
    const openApp = async (): Promise<Page> => {
      const context = await browser.newContext({ locale: "en-US" });
      cleanups.push(() => context.close());
      const app = await context.newPage();
      await app.goto(await rig.host.launchUrl());
      await app.getByLabel("Email").fill(email);
      await app.getByLabel("Password").fill(password);
      await app.getByRole("button", { name: "Sign in" }).click();
      await waitFor(() => app.getByTestId("registration").getAttribute("data-status"), (s) => s === "registered", 15_000, "app registration");
      return app;
    };
    await use({ browser, rig, farEnd, salesToken: signIn.token, openApp });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  }
}
