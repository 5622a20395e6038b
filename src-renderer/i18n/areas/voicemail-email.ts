import type { Shape } from "../shape";

/** "Email me my voicemails" in personal settings. en.ts and ja.ts spread them. */
export const voicemailEmailEn = {
  voicemailEmail: {
    title: "Voicemail by email",
    toggle: "Email me my voicemails",
    hint: "When a caller leaves a voicemail on a number that rings you (yours or a ring group's), you get an email with the caller, the time and the recording attached.",
    noMail: "The company server has no mail server set up, so voicemails are not emailed. Ask your admin to set one up; until then, voicemails are in History.",
    saved: "Saved",
    loading: "Loading…",
  },
};

export const voicemailEmailJa: Shape<typeof voicemailEmailEn> = {
  voicemailEmail: {
    title: "ボイスメールのメール通知",
    toggle: "ボイスメールをメールで受け取る",
    hint: "あなたが着信を受ける番号（あなたの番号や所属する着信グループの番号）に留守番電話が残されると、発信者・日時と録音を添付したメールが届きます。",
    noMail: "会社のサーバーにメールサーバーが設定されていないため、ボイスメールはメールで送られません。メールサーバーの設定を管理者に依頼してください。それまでは履歴で確認できます。",
    saved: "保存しました",
    loading: "読み込み中…",
  },
};
