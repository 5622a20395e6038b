import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from "react";
import { cx } from "./cx";
import { Spinner } from "./spinner";
import { Tooltip } from "./tooltip";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";
export type ButtonSize = "sm" | "md" | "lg";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** An icon before the label (a lucide-react element). */
  icon?: ReactNode;
  /** Shows a spinner and disables the button while an action runs. */
  busy?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button({ variant = "secondary", size = "md", icon, busy = false, className, children, disabled, type = "button", ...rest }, ref) {
  return (
    <button ref={ref} type={type} className={cx("ui-button", `ui-button-${variant}`, `ui-button-${size}`, className)} disabled={disabled === true || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner size={14} /> : icon}
      {children}
    </button>
  );
});

export interface IconButtonProps extends Omit<ButtonProps, "children" | "icon"> {
  /** What the button does, in words: its accessible name and its tooltip. */
  label: string;
  icon: ReactNode;
  /** No tooltip (a label already shows beside it). */
  plain?: boolean;
}

/** A square button showing only an icon; its label is the accessible name and the tooltip. */
export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton({ label, icon, variant = "ghost", className, plain = false, ...rest }, ref) {
  const button = <Button ref={ref} variant={variant} aria-label={label} className={cx("ui-icon-button", className)} icon={icon} {...rest} />;
  return plain ? button : <Tooltip content={label}>{button}</Tooltip>;
});
