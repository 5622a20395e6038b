import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { connectApi } from "./bridge/api";
import { startFirstAnswers } from "./start/first-answers";
import { markStart } from "./start/start-marks";
import "./styles/tokens.css";
import "./styles/base.css";
import "./components/ui/ui.css";
import "./components/shell/shell.css";
import "./styles.css";

markStart("script");
const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
const api = connectApi();
// Asked before React mounts: the answers travel while it renders its first frame.
const first = startFirstAnswers(api);
createRoot(root).render(
  <StrictMode>
    <App api={api} first={first} />
  </StrictMode>,
);
