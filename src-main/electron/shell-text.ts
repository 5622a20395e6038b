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
};

export type ShellText = typeof en;

export function shellText(locale: string): ShellText {
  return locale.toLowerCase().startsWith("ja") ? ja : en;
}
