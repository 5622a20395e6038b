import type { Shape } from "../shape";

/** The desktop area's strings, both languages side by side; en.ts and ja.ts spread them. */
export const desktopEn = {
  desktop: {
    shortcuts: {
      title: "Keyboard shortcuts",
      scopeGlobal: "These work everywhere on your computer, even when Caller is in the background.",
      scopeWindow: "These work while the Caller window is in front (the browser cannot listen everywhere).",
      none: "None",
      save: "Save shortcuts",
      saved: "Shortcuts saved.",
      reset: "Back to defaults",
      hint: "Click a shortcut, then press the keys you want. Esc cancels.",
      startAtLogin: "Start Caller when I sign in to my computer",
      notifications: "Show notifications",
      notificationsOn: "Notifications are on.",
      notificationsBlocked: "Notifications are blocked in this browser's settings.",
    },
    action: {
      openDialer: "Open the dialer",
      dialClipboard: "Dial the number on the clipboard",
      answerOrHangUp: "Call / hang up",
      toggleMute: "Mute / unmute",
    },
    problem: {
      taken: "{{accelerator}} is already used by your computer or another app.",
      duplicate: "{{accelerator}} is also the shortcut for “{{other}}”: choose another for one of them.",
      invalid: "{{accelerator}} is not a shortcut Caller can use: {{detail}}",
    },
    acceleratorProblem: {
      empty: "it is empty.",
      unknown_key: "a key name is not known.",
      no_key: "it has modifiers but no key.",
      two_keys: "it has two keys; use one key with modifiers.",
      repeated_modifier: "a modifier is repeated.",
      needs_modifier: "add Ctrl, Alt or ⌘, or it would fire while you type.",
      too_long: "it is too long.",
    },
    links: {
      registered: "callto: and tel: links open in Caller.",
      released: "callto: and tel: links go to another app.",
      unsupported: "This computer's link settings are not managed by Caller here.",
      failed: "Caller could not change your computer's link settings: {{detail}}",
    },
    notice: {
      verificationSucceeded: "Number verified: {{number}} is now your caller ID.",
      callFailed: "The call to {{number}} failed: {{reason}}",
      creditLow: "Calling credit is running low.",
      creditLowMinutes_one: "Calling credit is running low: about {{count}} minute left.",
      creditLowMinutes_other: "Calling credit is running low: about {{count}} minutes left.",
    },
    paste: {
      cleaned: "Pasted text read as {{number}}.",
    },
  },
};

export const desktopJa: Shape<typeof desktopEn> = {
  desktop: {
    shortcuts: {
      title: "キーボードショートカット",
      scopeGlobal: "Caller が背面にあっても、コンピューターのどこからでも使えます。",
      scopeWindow: "Caller のウィンドウが前面にあるときに使えます（ブラウザーでは全体を監視できません）。",
      none: "なし",
      save: "ショートカットを保存",
      saved: "ショートカットを保存しました。",
      reset: "既定に戻す",
      hint: "ショートカットをクリックしてから、使いたいキーを押してください。Esc で取り消します。",
      startAtLogin: "コンピューターへのサインイン時に Caller を起動する",
      notifications: "通知を表示",
      notificationsOn: "通知はオンです。",
      notificationsBlocked: "このブラウザーの設定で通知がブロックされています。",
    },
    action: {
      openDialer: "ダイヤルを開く",
      dialClipboard: "クリップボードの番号をダイヤル",
      answerOrHangUp: "発信 / 終話",
      toggleMute: "ミュート / 解除",
    },
    problem: {
      taken: "{{accelerator}} はコンピューターまたは他のアプリが使用中です。",
      duplicate: "{{accelerator}} は「{{other}}」にも割り当てられています。どちらかを変更してください。",
      invalid: "{{accelerator}} はショートカットとして使えません: {{detail}}",
    },
    acceleratorProblem: {
      empty: "空です。",
      unknown_key: "不明なキー名があります。",
      no_key: "修飾キーだけでキーがありません。",
      two_keys: "キーが2つあります。修飾キーと1つのキーにしてください。",
      repeated_modifier: "修飾キーが重複しています。",
      needs_modifier: "入力中に反応しないよう、Ctrl・Alt・⌘ のいずれかを加えてください。",
      too_long: "長すぎます。",
    },
    links: {
      registered: "callto: と tel: のリンクは Caller で開きます。",
      released: "callto: と tel: のリンクは他のアプリで開きます。",
      unsupported: "この環境ではリンクの設定を Caller から変更できません。",
      failed: "コンピューターのリンク設定を変更できませんでした: {{detail}}",
    },
    notice: {
      verificationSucceeded: "番号を確認しました: {{number}} が発信者番号になりました。",
      callFailed: "{{number}} への発信に失敗しました: {{reason}}",
      creditLow: "通話クレジットの残高が少なくなっています。",
      creditLowMinutes_one: "通話クレジットの残高が少なくなっています: 残り約 {{count}} 分です。",
      creditLowMinutes_other: "通話クレジットの残高が少なくなっています: 残り約 {{count}} 分です。",
    },
    paste: {
      cleaned: "貼り付けたテキストを {{number}} として読み取りました。",
    },
  },
};
