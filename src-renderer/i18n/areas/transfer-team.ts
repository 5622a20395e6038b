import type { Shape } from "../shape";

/** Consulting a teammate before an attended transfer: the transferring user's panel and the teammate's ring. en.ts and ja.ts spread them. */
export const transferTeamEn = {
  transferTeam: {
    consulting: "Consulting {{name}}",
    ringing: "Calling {{name}}… The caller is on hold and hears music.",
    talking: "Talking to {{name}}. The caller is on hold.",
    ended: {
      declined: "{{name}} declined. You are back with the caller.",
      noAnswer: "{{name}} did not answer. You are back with the caller.",
      unavailable: "{{name}} cannot take calls right now. You are back with the caller.",
      hungUp: "{{name}} hung up. You are back with the caller.",
      failed: "The consultation with {{name}} ended. You are back with the caller.",
    },
    dismiss: "OK",
    /** On the teammate's incoming call. */
    consultingYou: "{{name}} wants to transfer this caller to you",
  },
};

export const transferTeamJa: Shape<typeof transferTeamEn> = {
  transferTeam: {
    consulting: "{{name}} さんと相談中",
    ringing: "{{name}} さんを呼び出しています… 相手は保留音を聞いています。",
    talking: "{{name}} さんと通話中です。相手は保留中です。",
    ended: {
      declined: "{{name}} さんが応答を拒否しました。元の通話に戻りました。",
      noAnswer: "{{name}} さんが応答しませんでした。元の通話に戻りました。",
      unavailable: "{{name}} さんは今、電話に出られません。元の通話に戻りました。",
      hungUp: "{{name}} さんが通話を終えました。元の通話に戻りました。",
      failed: "{{name}} さんとの相談が終わりました。元の通話に戻りました。",
    },
    dismiss: "OK",
    consultingYou: "{{name}} さんから転送の相談です",
  },
};
