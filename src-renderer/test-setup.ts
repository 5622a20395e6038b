import { notifyManager } from "@tanstack/react-query";

// Renderer tests in jsdom: query results reach the screen inside the same act() as the answer that made them
// (the app itself keeps TanStack Query's default timer tick).
notifyManager.setScheduler((callback) => callback());
