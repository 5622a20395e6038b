import type { Shape } from "../shape";

/** The call history table's strings, both languages side by side; en.ts and ja.ts spread them. */
export const historyEn = {
  historyTable: {
    label: "Calls",
    columns: { time: "Time", party: "Number / contact", duration: "Duration", cost: "Cost", outcome: "Outcome", madeBy: "Made by", actions: "Actions" },
    timeIn: "Time ({{zone}})",
    direction: { outbound: "Outgoing call", inbound: "Incoming call", missed: "Missed call" },
    callBack: "Call {{number}}",
    showDetails: "Show details and recording of the call with {{party}}",
    hideDetails: "Hide details",
    recording: "Recording",
    noRecording: "No recording for this call.",
    notes: "Notes",
    deal: "Deal",
    disposition: "Result",
    unknownUser: "Unknown user",
    loadingRow: "Loading…",
  },
};

export const historyJa: Shape<typeof historyEn> = {
  historyTable: {
    label: "通話",
    columns: { time: "日時", party: "番号 / 連絡先", duration: "通話時間", cost: "料金", outcome: "結果", madeBy: "発信者", actions: "操作" },
    timeIn: "日時（{{zone}}）",
    direction: { outbound: "発信", inbound: "着信", missed: "不在着信" },
    callBack: "{{number}} に発信",
    showDetails: "{{party}} との通話の詳細と録音を表示",
    hideDetails: "詳細を閉じる",
    recording: "録音",
    noRecording: "この通話の録音はありません。",
    notes: "メモ",
    deal: "商談",
    disposition: "接続結果",
    unknownUser: "不明なユーザー",
    loadingRow: "読み込み中…",
  },
};
