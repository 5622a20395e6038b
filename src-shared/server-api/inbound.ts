import { z } from "zod";

/** Incoming calls: the company's numbers and ring groups (admin), and each user's available/away state. */
export const inboundPaths = {
  /** GET: the company's numbers; POST: add one (admin). */
  numbers: "/api/admin/inbound/numbers",
  /** PUT: change whom it rings; DELETE: remove it (admin). */
  number: "/api/admin/inbound/numbers/:id",
  /** GET: the company's ring groups; POST: add one (admin). */
  groups: "/api/admin/inbound/groups",
  /** PUT: rename, change strategy or members; DELETE (admin). */
  group: "/api/admin/inbound/groups/:id",
  /** GET / PUT: the signed-in user's own state; away users are not rung. */
  availability: "/api/inbound/availability",
} as const;

const plainLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, "must not contain control characters");

/** E.164: '+', a non-zero digit, 8-15 digits in all (the dialplan's own check). */
export const CompanyNumberValue = z.string().regex(/^\+[1-9][0-9]{7,14}$/, "an E.164 number such as +81312345678");

export const RingStrategy = z.enum(["ring_all", "round_robin"]);
export type RingStrategy = z.infer<typeof RingStrategy>;

/** Exactly one target: a user, or a ring group. */
export const NumberTarget = z.union([z.strictObject({ userId: z.number().int().positive() }), z.strictObject({ groupId: z.number().int().positive() })]);
export type NumberTarget = z.infer<typeof NumberTarget>;

export const CompanyNumber = z.object({
  id: z.number().int(),
  number: z.string(),
  label: z.string(),
  userId: z.number().int().nullable(),
  groupId: z.number().int().nullable(),
  ringSeconds: z.number().int(),
});
export type CompanyNumber = z.infer<typeof CompanyNumber>;

export const NumberBody = z.strictObject({
  number: CompanyNumberValue,
  label: plainLine(80).default(""),
  target: NumberTarget,
  ringSeconds: z.number().int().min(5).max(120).default(20),
});
export type NumberBody = z.input<typeof NumberBody>;

export const RingGroup = z.object({
  id: z.number().int(),
  name: z.string(),
  strategy: RingStrategy,
  memberIds: z.array(z.number().int()),
});
export type RingGroup = z.infer<typeof RingGroup>;

export const GroupBody = z.strictObject({
  name: plainLine(80).min(1, "a name is required"),
  strategy: RingStrategy,
  memberIds: z.array(z.number().int().positive()).min(1, "a group needs a member").max(50),
});
export type GroupBody = z.infer<typeof GroupBody>;

export const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const NumbersReply = z.object({ numbers: z.array(CompanyNumber) });
/** `away`: the company's users who said they are away (not rung), so the admin sees who a group reaches now. */
export const GroupsReply = z.object({ groups: z.array(RingGroup), away: z.array(z.number().int()) });
export const Deleted = z.object({ ok: z.literal(true) });

export const Availability = z.enum(["available", "away"]);
export type Availability = z.infer<typeof Availability>;
export const AvailabilityReply = z.object({ status: Availability });
export const AvailabilityBody = z.strictObject({ status: Availability });
