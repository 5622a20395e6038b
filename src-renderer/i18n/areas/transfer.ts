import type { Shape } from "../shape";

/** Transfer on the call screen (blind, or consult first), and the transfer in history. en.ts and ja.ts spread them. */
export const transferEn = {
  transfer: {
    button: "Transfer",
    title: "Transfer this call",
    hint: "Blind: the other party is put through to the number at once and you are free. Consult: you talk to them first while this call is on hold.",
    number: "Number to transfer to",
    teammate: "Transfer to",
    toNumber: "A phone number…",
    teammateOption: { available: "{{name}} (available)", away: "{{name}} (away)" },
    teammatesUnavailable: "Teammates cannot be listed now (the company server is not reachable). A number still works.",
    transferredBy: "Transferred by {{name}}",
    blind: "Transfer now",
    consult: "Consult first",
    transferring: "Transferring…",
    done: "Transferred to {{number}}.",
    refused: "The call was not transferred: {{message}} The call goes on.",
    consulting: "Consulting {{number}}",
    consultRinging: "Calling {{number}}… The caller is on hold.",
    consultTalking: "Talking to {{number}}. The caller is on hold.",
    complete: "Complete transfer",
    back: "Back to caller",
    history: {
      blind: "Transferred to {{number}} (blind)",
      attended: "Transferred to {{number}} (attended)",
    },
  },
};

export const transferJa: Shape<typeof transferEn> = {
  transfer: {
    button: "転送",
    title: "この通話を転送",
    hint: "すぐに転送: 相手をその番号へつなぎ、あなたはすぐに通話を終えます。先に相談: この通話を保留にして、転送先と先に話します。",
    number: "転送先の番号",
    teammate: "転送先",
    toNumber: "電話番号を入力…",
    teammateOption: { available: "{{name}} (対応可能)", away: "{{name}} (離席中)" },
    teammatesUnavailable: "チームメンバーを表示できません (会社のサーバーに接続できません)。番号への転送はできます。",
    transferredBy: "{{name}} さんからの転送",
    blind: "すぐに転送",
    consult: "先に相談",
    transferring: "転送しています…",
    done: "{{number}} に転送しました。",
    refused: "転送できませんでした: {{message}} 通話は続いています。",
    consulting: "{{number}} と相談中",
    consultRinging: "{{number}} に発信しています… 相手は保留中です。",
    consultTalking: "{{number}} と通話中です。相手は保留中です。",
    complete: "転送を完了",
    back: "元の通話に戻る",
    history: {
      blind: "{{number}} に転送 (すぐに転送)",
      attended: "{{number}} に転送 (相談後に転送)",
    },
  },
};
