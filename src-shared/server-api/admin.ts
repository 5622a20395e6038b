import { z } from "zod";
import { User } from "../domain/company";
import { CountryCode, TimeZone } from "./company-fields";

/** PATCH /api/admin/company: what an admin may change; plan, trial and currency are not theirs to set. */
export const UpdateCompanyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    country: CountryCode.optional(),
    timeZone: TimeZone.optional(),
  })
  .refine((body) => body.name !== undefined || body.country !== undefined || body.timeZone !== undefined, {
    message: "give at least one of name, country, timeZone",
  });
export type UpdateCompanyBody = z.infer<typeof UpdateCompanyBody>;

/** A user as an admin sees them. `callerEnabled`: the user may call (always true for admins); the plan is checked separately. */
export const AdminUser = User.extend({
  callerEnabled: z.boolean(),
  createdAt: z.number().int(),
  /** E.164 the user proved they own (their caller ID); null: none connected yet. */
  verifiedNumber: z.string().nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;

/** GET /api/admin/users */
export const AdminUsersReply = z.object({ users: z.array(AdminUser) });
export type AdminUsersReply = z.infer<typeof AdminUsersReply>;
