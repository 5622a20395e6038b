/** Coaching: the admin's live calls, joining one, the log and policy; the coached user's notice. Names only (the preload imports these). */
export const coachingMethodNames = ["listLiveCalls", "startCoaching", "coachingLog", "getCoachingPolicy", "setCoachingPolicy", "coachingNotice", "callCoachingLog"] as const;
