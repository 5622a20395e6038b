import type { Theme } from "../../../src-shared/api/contract";

/** Puts the user's theme on <html>; "system" leaves it to prefers-color-scheme (styles/tokens.css). */
export function applyTheme(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
