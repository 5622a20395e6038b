import { Checkbox as C, Switch as S } from "radix-ui";
import { Check } from "lucide-react";
import { useId, type ReactNode } from "react";
import { cx } from "./cx";

interface ToggleProps {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  label: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
  testId?: string;
  className?: string;
}

/** On/off for a setting that applies at once. */
export function Switch({ checked, onCheckedChange, label, description, disabled, testId, className }: ToggleProps) {
  const id = useId();
  return (
    <div className={cx("ui-toggle-row", className)}>
      <S.Root id={id} className="ui-switch" checked={checked} onCheckedChange={onCheckedChange} disabled={disabled} data-testid={testId} aria-describedby={description ? `${id}-d` : undefined}>
        <S.Thumb className="ui-switch-thumb" />
      </S.Root>
      <div>
        <label htmlFor={id}>{label}</label>
        {description && (
          <p id={`${id}-d`} className="ui-field-hint">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}

/** A choice in a form, saved with the form. */
export function Checkbox({ checked, onCheckedChange, label, description, disabled, testId, className }: ToggleProps) {
  const id = useId();
  return (
    <div className={cx("ui-toggle-row", className)}>
      <C.Root id={id} className="ui-checkbox" checked={checked} onCheckedChange={(v) => onCheckedChange(v === true)} disabled={disabled} data-testid={testId}>
        <C.Indicator className="ui-checkbox-indicator">
          <Check size={12} strokeWidth={3} aria-hidden="true" />
        </C.Indicator>
      </C.Root>
      <div>
        <label htmlFor={id}>{label}</label>
        {description && <p className="ui-field-hint">{description}</p>}
      </div>
    </div>
  );
}
