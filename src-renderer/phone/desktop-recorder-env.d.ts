// Vite's `?worker&url`: the module bundled on its own, as a URL on the app's origin (the AudioWorklet loads it).
declare module "*?worker&url" {
  const url: string;
  export default url;
}
