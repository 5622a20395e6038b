import { Keyboard, X } from "lucide-react";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { acceleratorFromKeyEvent, acceleratorKeys } from "../../../src-shared/desktop/accelerator-display";
import { parseAccelerator, type Platform } from "../../../src-shared/desktop/accelerator";
import { IconButton } from "../../components/ui/button";

export interface ShortcutRecorderProps {
  id: string;
  testId: string;
  /** Electron accelerator text, or null for none. */
  value: string | null;
  onChange: (accelerator: string | null) => void;
  platform: Platform;
  label: string;
  invalid: boolean;
}

/**
 * A shortcut field that records the keys pressed: click (or Enter), press the
 * combination, done. It shows keys the platform's way and stores Electron's
 * accelerator text. Esc cancels; Tab leaves untouched.
 */
export function ShortcutRecorder({ id, testId, value, onChange, platform, label, invalid }: ShortcutRecorderProps) {
  const { t } = useTranslation();
  const [recording, setRecording] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const keys = value === null ? null : acceleratorKeys(value, platform);
  // macOS writes ⌘⌥D as one word; elsewhere keys are joined with "+" (Ctrl+Alt+D).
  const separator = platform === "mac" ? "" : "+";
  return (
    <div className="shortcut-recorder">
      {/* Outside the button: only what is drawn sits inside it, so its visible text is plainly part of its name. */}
      <span id={`${id}-action`} className="visually-hidden">
        {label}
      </span>
      <span id={`${id}-how`} className="visually-hidden">
        {t("shortcut.record", { action: label })}
      </span>
      <button
        type="button"
        id={id}
        data-testid={testId}
        className="shortcut-field"
        // The in-window shortcuts stand aside while this field listens (use-desktop-shortcuts.ts).
        data-shortcut-recording={recording}
        data-recording={recording}
        data-accelerator={value ?? ""}
        aria-pressed={recording}
        aria-invalid={invalid}
        // The name is built from what is on screen (the action, then the keys or the state), so the
        // visible text is always inside it (axe: label-content-name-mismatch); what to do is its description.
        aria-labelledby={`${id}-action ${id}-value`}
        aria-describedby={`${id}-how`}
        onClick={() => {
          setRecording(!recording);
          setHint(null);
        }}
        onBlur={() => setRecording(false)}
        onKeyDown={(event) => {
          if (!recording || event.key === "Tab") return;
          event.preventDefault();
          event.stopPropagation();
          if (event.key === "Escape") return setRecording(false);
          const accelerator = acceleratorFromKeyEvent(event, platform);
          if (accelerator === null) return;
          const parsed = parseAccelerator(accelerator, platform);
          if (!parsed.ok && parsed.problem === "needs_modifier") return setHint(t("shortcut.needsModifier"));
          setHint(null);
          setRecording(false);
          onChange(accelerator);
        }}
      >
        <Keyboard size={14} aria-hidden="true" />
        {recording ? (
          <span id={`${id}-value`}>{t("shortcut.recording")}</span>
        ) : keys ? (
          <span id={`${id}-value`} className="shortcut-keys">
            {/* The "+" is drawn between the keys, so the visible text is the button's accessible name (axe: label-content-name-mismatch).
                It is a bare text node of this span, not an element of its own: seen whenever the keys are, even with the field half out of view. */}
            {keys.map((key, i) => (
              <Fragment key={i}>
                {i > 0 && separator}
                <kbd className="key">{key}</kbd>
              </Fragment>
            ))}
          </span>
        ) : (
          <span id={`${id}-value`} className="placeholder">
            {t("desktop.shortcuts.none")}
          </span>
        )}
      </button>
      {value !== null && <IconButton size="sm" label={t("shortcut.clear", { action: label })} icon={<X size={14} />} onClick={() => onChange(null)} />}
      {(recording || hint) && (
        <span className="hint" role="status">
          {hint ?? t("shortcut.cancelHint")}
        </span>
      )}
    </div>
  );
}
