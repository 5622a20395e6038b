import { afterEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { CallerError } from "../../../src-shared/errors";
import type { CallerApi } from "../../bridge/api";
import { useCoreQuery } from "../../query/core-query";
import { click, render } from "../../screens/credits/test-harness";
import { useConfirm } from "./confirm";
import { QueryState } from "./query-state";
import { useToast } from "./toast";

afterEach(() => {
  document.body.innerHTML = "";
});

const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);

function Delete() {
  const confirm = useConfirm();
  const [answer, setAnswer] = useState("none");
  return (
    <>
      <button type="button" data-testid="ask" onClick={() => void confirm({ title: "Delete “Busy”? Past calls keep it.", confirmLabel: "Delete" }).then((yes) => setAnswer(String(yes)))}>
        ask
      </button>
      <output data-testid="answer">{answer}</output>
    </>
  );
}

describe("useConfirm (in place of window.confirm)", () => {
  it("asks in an alert dialog named by the question, and answers true for the action, false for Cancel", async () => {
    await render(<Delete />, {});
    await click(byTestId("ask"));
    const dialog = document.querySelector('[role="alertdialog"]');
    expect(dialog?.getAttribute("aria-labelledby") && document.getElementById(dialog.getAttribute("aria-labelledby")!)?.textContent).toBe("Delete “Busy”? Past calls keep it.");
    await click(byTestId("confirm-accept"));
    expect(byTestId("answer")?.textContent).toBe("true");

    await click(byTestId("ask"));
    const cancel = [...document.querySelectorAll('[role="alertdialog"] button')].find((b) => b.textContent === "Cancel") ?? null;
    await click(cancel);
    expect(byTestId("answer")?.textContent).toBe("false");
    expect(document.querySelector('[role="alertdialog"]')).toBeNull();
  });
});

function Toasty() {
  const toast = useToast();
  return (
    <button type="button" data-testid="fail" onClick={() => toast.error("The language could not be changed: offline")}>
      fail
    </button>
  );
}

describe("the toaster", () => {
  it("shows an error until it is dismissed", async () => {
    await render(<Toasty />, {});
    await click(byTestId("fail"));
    const toast = byTestId("toast");
    expect(toast?.getAttribute("data-tone")).toBe("error");
    expect(toast?.textContent).toContain("The language could not be changed: offline");
  });
});

function Credits() {
  const query = useCoreQuery("getCredits", {}, { retry: false });
  return <QueryState query={query}>{(summary) => <p data-testid="currency">{summary.currency}</p>}</QueryState>;
}

describe("QueryState", () => {
  it("says in words why a load failed, and Retry loads again", async () => {
    let calls = 0;
    const api: Partial<CallerApi> = {
      getCredits: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new CallerError("server_unreachable", "down")) : Promise.resolve({ currency: "JPY" } as Awaited<ReturnType<CallerApi["getCredits"]>>);
      },
    };
    await render(<Credits />, api);
    const error = byTestId("query-error");
    expect(error?.getAttribute("role")).toBe("alert");
    expect(error?.textContent).toContain("Could not load this: The company server cannot be reached. Check your connection.");
    await click([...(error?.querySelectorAll("button") ?? [])].find((b) => b.textContent === "Retry") ?? null);
    expect(byTestId("currency")?.textContent).toBe("JPY");
    expect(byTestId("query-error")).toBeNull();
  });
});
