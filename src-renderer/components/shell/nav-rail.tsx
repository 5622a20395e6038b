import { Building2, ChevronsLeft, ChevronsRight, CreditCard, Handshake, History, Phone, Settings, Users, type LucideIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Tooltip } from "../ui/tooltip";

export type View = "phone" | "history" | "contacts" | "deals" | "credits" | "company" | "settings";

interface Item {
  view: View;
  icon: LucideIcon;
  /** Test ids the e2e suites already select by. */
  testId: string;
  adminOnly?: boolean;
  /** Only on plans with Caller (Professional, Enterprise). */
  callerOnly?: boolean;
}

const items: readonly Item[] = [
  { view: "phone", icon: Phone, testId: "nav-phone", callerOnly: true },
  { view: "history", icon: History, testId: "crm-tab-history" },
  { view: "contacts", icon: Users, testId: "crm-tab-contacts" },
  { view: "deals", icon: Handshake, testId: "crm-tab-deals" },
  { view: "credits", icon: CreditCard, testId: "credits-entry", adminOnly: true, callerOnly: true },
  { view: "company", icon: Building2, testId: "admin-entry", adminOnly: true },
];
const settingsItem: Item = { view: "settings", icon: Settings, testId: "personal-entry" };

export interface NavRailProps {
  view: View;
  onView: (view: View) => void;
  isAdmin: boolean;
  /** The company's plan includes Caller: the dialer and credits are offered. */
  hasCaller: boolean;
  /** Icons only (narrow windows, or the user folded it). */
  collapsed: boolean;
  onToggle: () => void;
}

/** The left navigation: every screen, icons with labels; folded to icons with tooltips. */
export function NavRail({ view, onView, isAdmin, hasCaller, collapsed, onToggle }: NavRailProps) {
  const { t } = useTranslation();
  const entry = (item: Item) => {
    const Icon = item.icon;
    const label = t(`nav.${item.view}`);
    const button = (
      <button type="button" className="nav-item" data-testid={item.testId} aria-current={view === item.view ? "page" : undefined} aria-label={collapsed ? label : undefined} onClick={() => onView(item.view)}>
        <Icon size={18} aria-hidden="true" />
        <span className="nav-label">{label}</span>
      </button>
    );
    return <li key={item.view}>{collapsed ? <Tooltip content={label} side="right">{button}</Tooltip> : button}</li>;
  };
  return (
    <nav className="nav-rail" aria-label={t("nav.label")} data-collapsed={collapsed}>
      <div className="nav-brand">
        <span className="nav-logo" aria-hidden="true">
          <Phone size={16} strokeWidth={2.5} />
        </span>
        <span className="nav-label nav-title">{t("app.title")}</span>
      </div>
      <ul className="nav-list">{items.filter((i) => (!i.adminOnly || isAdmin) && (!i.callerOnly || hasCaller)).map(entry)}</ul>
      <ul className="nav-list nav-list-end">
        {entry(settingsItem)}
        <li>
          <button type="button" className="nav-item nav-toggle" aria-label={collapsed ? t("nav.expand") : t("nav.collapse")} aria-expanded={!collapsed} onClick={onToggle}>
            {collapsed ? <ChevronsRight size={18} aria-hidden="true" /> : <ChevronsLeft size={18} aria-hidden="true" />}
            <span className="nav-label">{t("nav.collapseShort")}</span>
          </button>
        </li>
      </ul>
    </nav>
  );
}
