/**
 * plugins.js — the one way a module plugs into the document page's workspace.
 *
 *   import { registerPlugin } from "./workspace/plugins.js";   // from annotations/static/annotations/
 *   registerPlugin("comments", (workspace) => {
 *     const { store, text, inspector, showTab, announce, pageData, root, canAnnotate, request } = workspace;
 *     store.registerOverlay(...); store.addEventListener("inspector:opened", ...);
 *     return handle;   // optional: what pluginHandle("comments") gives other plugins
 *   });
 *
 * A page loads its plugins as module scripts (templates/annotations/document_detail.html);
 * main.js builds the workspace and then calls startPlugins(workspace): the plugins start in
 * the order they registered, after the workspace's own views and keys, so the workspace's
 * keys handle a key press first. A plugin registered after that starts at once. A plugin
 * that throws is reported on the console and the others still start.
 * The store's hooks a plugin may use are listed at the top of store.js.
 */

const waiting = [];
const handles = new Map();
let workspace = null;

function start(name, startFn) {
  try {
    handles.set(name, startFn(workspace) ?? null);
  } catch (failure) {
    console.error(`The ${name} plugin could not start:`, failure);
  }
}

/** Register `startFn(workspace)` under `name`; it runs once the workspace is ready. */
export function registerPlugin(name, startFn) {
  if (handles.has(name) || waiting.some((entry) => entry.name === name)) throw new Error(`a plugin named ${name} is already registered`);
  if (workspace) start(name, startFn);
  else waiting.push({ name, startFn });
}

/** Called once by main.js with the built workspace. */
export function startPlugins(built) {
  workspace = built;
  for (const { name, startFn } of waiting.splice(0)) start(name, startFn);
}

/** What a started plugin returned (e.g. the suggestions controller), or undefined. */
export function pluginHandle(name) {
  return handles.get(name);
}
