import type { Shape } from "../shape";

/** A history call's transfer chain and its coaching log (admins), in the call's details. en.ts and ja.ts spread them. */
export const historyChainEn = {
  historyChain: {
    transfers: "Transfer",
    line: "Transferred to {{to}} ({{mode}}), by {{by}}, at {{at}}",
    modes: { blind: "blind", attended: "attended" },
    openLeg: "Open the call that carried it on",
    openConsultation: "Open the consultation call",
    openTransferred: "Open the transferred call",
    unavailable: "The transfer details cannot be loaded now.",
    coaching: "Coaching",
    coachLine: "{{name}}: {{mode}}, at {{at}}, for {{duration}}",
    coachLineOngoing: "{{name}}: {{mode}}, at {{at}} (until the call ended)",
    coachNeverJoined: "{{name}} asked to {{mode}} at {{at}} but never joined",
    coachModes: { listen: "listened", whisper: "whispered", barge: "barged in" },
    coachAskModes: { listen: "listen", whisper: "whisper", barge: "barge in" },
    coachingUnavailable: "The coaching log cannot be loaded now.",
  },
};

export const historyChainJa: Shape<typeof historyChainEn> = {
  historyChain: {
    transfers: "転送",
    line: "{{to}} に転送 ({{mode}})、転送者: {{by}}、{{at}}",
    modes: { blind: "すぐに転送", attended: "相談後に転送" },
    openLeg: "転送先への通話を開く",
    openConsultation: "相談の通話を開く",
    openTransferred: "転送元の通話を開く",
    unavailable: "転送の詳細を読み込めません。",
    coaching: "コーチング",
    coachLine: "{{name}}: {{mode}}、{{at}}、{{duration}}",
    coachLineOngoing: "{{name}}: {{mode}}、{{at}} (通話の終了まで)",
    coachNeverJoined: "{{name}} が {{at}} に{{mode}}を依頼しましたが、参加しませんでした",
    coachModes: { listen: "モニター", whisper: "ささやき", barge: "割り込み" },
    coachAskModes: { listen: "モニター", whisper: "ささやき", barge: "割り込み" },
    coachingUnavailable: "コーチングの記録を読み込めません。",
  },
};
