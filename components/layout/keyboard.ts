"use client";

import { useEffect, useRef } from "react";

/** Single-key shortcuts must not fire while someone types in a field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Calls `handler` for a plain key press (no Ctrl, Alt or Meta) anywhere on the page, outside form
 * fields unless `inFields`; the handler returns true when it acted, which cancels the browser's default.
 */
export function useKeyShortcut(key: string, handler: (event: KeyboardEvent) => boolean, { inFields = false } = {}) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== key || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
      if (!inFields && isTypingTarget(event.target)) return;
      if (latest.current(event)) event.preventDefault();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [key, inFields]);
}
