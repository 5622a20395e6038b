/** The few words the Electron main process shows itself (menus, dialogs), in the app's two languages. */
const en = {
  openDialer: "Open dialer",
  openCaller: "Open Caller",
  dialClipboard: "Dial number on clipboard",
  quit: "Quit Caller",
  quitInCallTitle: "A call is in progress",
  quitInCallMessage: "Quitting Caller hangs up the call.",
  quitAndHangUp: "Quit and hang up",
  keepCall: "Keep the call",
  couldNotStart: "Caller could not start",
  driverBuiltForOtherAbi: (builtFor: number, running: number, electron: string) =>
    `The local store's driver (better-sqlite3) is built for Node.js ABI ${builtFor}, but Electron ${electron} runs ABI ${running}. ` +
    "Build the desktop app with its own copy for Electron: run `npm run electron:app`, then start `npx electron dist/electron-app` (npm start does both).",
  driverMissing: "The local store's driver (better-sqlite3) is not installed beside the app. Run `npm run electron:app`, then start `npx electron dist/electron-app`.",
};

const ja: typeof en = {
  openDialer: "ダイヤルを開く",
  openCaller: "Caller を開く",
  dialClipboard: "クリップボードの番号をダイヤル",
  quit: "Caller を終了",
  quitInCallTitle: "通話中です",
  quitInCallMessage: "Caller を終了すると通話が切れます。",
  quitAndHangUp: "終了して通話を切る",
  keepCall: "通話を続ける",
  couldNotStart: "Caller を起動できませんでした",
  driverBuiltForOtherAbi: (builtFor: number, running: number, electron: string) =>
    `ローカルストアのドライバー (better-sqlite3) は Node.js ABI ${builtFor} 用にビルドされていますが、Electron ${electron} は ABI ${running} で動作します。` +
    "`npm run electron:app` で Electron 用のアプリをビルドし、`npx electron dist/electron-app` で起動してください (npm start は両方を行います)。",
  driverMissing: "ローカルストアのドライバー (better-sqlite3) がアプリと一緒にインストールされていません。`npm run electron:app` を実行してから `npx electron dist/electron-app` で起動してください。",
};

export type ShellText = typeof en;

export function shellText(locale: string): ShellText {
  return locale.toLowerCase().startsWith("ja") ? ja : en;
}
