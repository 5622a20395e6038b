import { shell, type WebContents } from "electron";
import { assertNever, drop } from "../../src-shared/assert-never";
import { decideNavigation } from "./navigation";

/**
 * Applied to every webContents the app creates (`web-contents-created`): no
 * popups, no navigation away from our page, no <webview>. Web links open in
 * the OS browser instead.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url);
    if (decision.kind === "open-external") openOutside(decision.url);
    return { action: "deny" };
  });

  contents.on("will-navigate", (event) => {
    const decision = decideNavigation(event.url);
    switch (decision.kind) {
      case "allow":
        return;
      case "open-external":
        event.preventDefault();
        openOutside(decision.url);
        return;
      case "deny":
        event.preventDefault();
        return;
      default:
        assertNever(decision, "navigation decision");
    }
  });

  // Subframes (CSP already refuses them) and redirects may only stay on our page; neither opens a browser.
  contents.on("will-frame-navigate", (event) => {
    if (!event.isMainFrame && decideNavigation(event.url).kind !== "allow") event.preventDefault();
  });
  contents.on("will-redirect", (event) => {
    if (decideNavigation(event.url).kind !== "allow") event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => {
    event.preventDefault();
  });
}

function openOutside(url: string): void {
  drop(shell.openExternal(url), (error) => console.error(`[shell] could not open ${url}`, error)); // eng-disable OPEN_EXTERNAL_JS_CHECK only http(s) URLs reach here (decideNavigation)
}
