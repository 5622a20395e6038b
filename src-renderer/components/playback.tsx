import { createContext, useContext, useMemo, useRef, type ReactNode } from "react";

/** One recording plays at a time: a player claims the output when it starts, which pauses the one playing before. */
export interface Playback {
  started(audio: HTMLMediaElement): void;
  /** A player going away (or its audio) stops being the one playing. */
  gone(audio: HTMLMediaElement): void;
}

const PlaybackContext = createContext<Playback | null>(null);

export function PlaybackProvider({ children }: { children: ReactNode }) {
  const playing = useRef<HTMLMediaElement | null>(null);
  const playback = useMemo<Playback>(
    () => ({
      started(audio) {
        const before = playing.current;
        playing.current = audio;
        if (before !== null && before !== audio && !before.paused) before.pause();
      },
      gone(audio) {
        if (playing.current === audio) playing.current = null;
      },
    }),
    [],
  );
  return <PlaybackContext.Provider value={playback}>{children}</PlaybackContext.Provider>;
}

const alone: Playback = { started: () => undefined, gone: () => undefined };

/** The app's playback; a player rendered outside the providers (a story, a test of the player alone) plays on its own. */
export function usePlayback(): Playback {
  return useContext(PlaybackContext) ?? alone;
}
