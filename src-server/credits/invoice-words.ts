/** An invoice's fixed text in each language a company's documents are written in. */
export interface InvoiceWords {
  title: string;
  number: string;
  issued: string;
  status: string;
  awaitingPayment: string;
  paid: string;
  billTo: string;
  noBillingDetails: string;
  taxId: string;
  email: string;
  account: string;
  boughtBy: string;
  description: string;
  amount: string;
  item: string;
  total: string;
  neverExpires: string;
}

export const invoiceWords: Record<"ja" | "en", InvoiceWords> = {
  en: {
    title: "Invoice",
    number: "Invoice number",
    issued: "Issue date",
    status: "Status",
    awaitingPayment: "Awaiting payment",
    paid: "Paid",
    billTo: "Bill to",
    noBillingDetails: "No billing details were on file at the time of purchase.",
    taxId: "Tax ID",
    email: "Email",
    account: "Account",
    boughtBy: "Purchased by",
    description: "Description",
    amount: "Amount",
    item: "Prepaid calling credit",
    total: "Total",
    neverExpires: "Purchased calling credit never expires.",
  },
  ja: {
    title: "請求書",
    number: "請求書番号",
    issued: "発行日",
    status: "状態",
    awaitingPayment: "お支払い待ち",
    paid: "お支払い済み",
    billTo: "請求先",
    noBillingDetails: "購入時に請求先情報は登録されていませんでした。",
    taxId: "登録番号",
    email: "メール",
    account: "アカウント",
    boughtBy: "購入者",
    description: "内容",
    amount: "金額",
    item: "通話クレジット（前払い）",
    total: "合計",
    neverExpires: "購入した通話クレジットに有効期限はありません。",
  },
};
