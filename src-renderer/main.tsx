import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { connectApi } from "./bridge/api";
import "./styles/tokens.css";
import "./styles/base.css";
import "./components/ui/ui.css";
import "./components/shell/shell.css";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
);
