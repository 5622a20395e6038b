/** Contacts, organizations, deals and the searchable offline history (issue 8). Names only (the preload imports these). */
export const crmMethodNames = [
  "searchHistory",
  "listContacts",
  "getContact",
  "listOrganizations",
  "getOrganization",
  "listDeals",
  "getDeal",
  "createContact",
  "updateContact",
  "editCall",
  "getEditHistory",
  "listHistoryUsers",
  "createOrganization",
  "createDeal",
  "updateDeal",
  "importContacts",
  "dialFromCrm",
  "linkDialedCall",
] as const;
export const crmEventNames = [] as const;
