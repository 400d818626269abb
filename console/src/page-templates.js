// Templates built through the Template API (issue 14): the list, one template's builds, and a build's log, which
// follows the build live while it runs (the status route's logsOffset, as E2B's SDK polls it).

import { h, fill } from './dom.js';
import * as api from './api.js';
import { absoluteTime, relativeTime } from './format.js';
import { confirmDialog, emptyState, pageHeader, runAction, toast } from './ui.js';
import { poll } from './poller.js';

const LOG_POLL_MS = 1000;

function statusTag(status) {
  return h('span', { class: `tag status-${status}`, 'data-status': status }, status);
}

export function renderTemplates(main) {
  const body = h('section', { class: 'panel', 'aria-label': 'Templates', 'aria-busy': 'true' }, h('p', { class: 'muted pad' }, 'Loading templates…'));
  main.append(pageHeader('Templates', "Environments built from code with E2B's Template SDK (Template.build) or /v1/templates."), body);

  async function load() {
    try {
      const list = await api.templates.list();
      body.setAttribute('aria-busy', 'false');
      fill(body, list.length ? table(list) : emptyState('No templates yet', 'Build one with Template.build() from the e2b package, pointed at this server.'));
    } catch (err) {
      fill(body, h('p', { class: 'form-error pad', role: 'alert' }, `Could not load templates: ${err.message}`));
    }
  }

  function table(list) {
    return h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Name', 'Status', 'Builds', 'vCPUs', 'Memory', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((t) => h('tr', { 'data-template': t.names[0] },
        h('td', { class: 'mono strong' }, h('a', { href: `#/templates/${encodeURIComponent(t.templateID)}` }, t.names[0])),
        h('td', {}, statusTag(t.buildStatus)),
        h('td', { class: 'num' }, t.buildCount),
        h('td', { class: 'num' }, t.cpuCount),
        h('td', { class: 'num' }, `${t.memoryMB} MB`),
        h('td', { title: absoluteTime(t.updatedAt) }, relativeTime(t.updatedAt))))));
  }

  const poller = poll(load, 5000);
  return { cleanup: () => poller.stop() };
}

export function renderTemplate(main, id, buildId) {
  const builds = h('section', { class: 'panel', 'aria-label': 'Builds', 'aria-busy': 'true' }, h('p', { class: 'muted pad' }, 'Loading builds…'));
  const log = h('section', { class: 'panel', 'aria-label': 'Build log' });
  const header = h('div');
  main.append(header, builds, log);
  let follower = null;

  async function load() {
    try {
      const t = await api.templates.get(decodeURIComponent(id));
      builds.setAttribute('aria-busy', 'false');
      fill(header, pageHeader(t.names[0], `Template ${t.templateID}`,
        h('button', { class: 'btn btn-danger-ghost', type: 'button', onclick: (e) => remove(e.currentTarget, t) }, 'Delete template')));
      fill(builds, t.builds.length ? table(t) : emptyState('No builds', 'This template was made from a snapshot.'));
      const chosen = buildId ? decodeURIComponent(buildId) : t.builds[0]?.buildID;
      if (chosen && !follower) follow(t.templateID, chosen);
    } catch (err) {
      fill(builds, h('p', { class: 'form-error pad', role: 'alert' }, `Could not load the template: ${err.message}`));
    }
  }

  function table(t) {
    return h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Build', 'Status', 'Started', 'Finished', 'Reason'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, t.builds.map((b) => h('tr', { 'data-build': b.buildID },
        h('td', { class: 'mono' }, h('a', { href: `#/templates/${encodeURIComponent(t.templateID)}/builds/${encodeURIComponent(b.buildID)}` }, b.buildID.slice(0, 8))),
        h('td', {}, statusTag(b.status)),
        h('td', { title: absoluteTime(b.createdAt) }, relativeTime(b.createdAt)),
        h('td', {}, b.finishedAt ? relativeTime(b.finishedAt) : '—'),
        h('td', { class: 'muted' }, (b.reason ?? '').split('\n')[0])))));
  }

  // The build's log, appended as it grows; polling stops once the build is ready or failed.
  function follow(templateId, build) {
    let offset = 0;
    const lines = h('pre', { class: 'build-log mono', 'aria-live': 'polite', 'data-build-log': build });
    const state = h('p', { class: 'muted pad' });
    fill(log, h('h2', { class: 'pad' }, `Build ${build.slice(0, 8)}`), state, lines);
    follower = poll(async () => {
      const s = await api.templates.status(templateId, build, offset);
      offset += s.logEntries.length;
      for (const e of s.logEntries) {
        lines.append(h('span', { class: `log-${e.level}` }, `${e.timestamp.slice(11, 19)} ${e.step ? `[${e.step}] ` : ''}${e.message}\n`));
      }
      fill(state, 'Status: ', statusTag(s.status), s.reason ? ` — ${s.reason.message.split('\n')[0]}` : '');
      if ((s.status === 'ready' || s.status === 'error') && s.logEntries.length === 0) follower.stop();
    }, LOG_POLL_MS);
  }

  async function remove(button, t) {
    const ok = await confirmDialog({
      title: `Delete template “${t.names[0]}”?`,
      message: 'Its snapshot, builds and logs are removed. Sandboxes started from it must be gone first.',
      confirmLabel: 'Delete template',
    });
    if (!ok) return;
    await runAction(button, `Delete ${t.names[0]}`, async () => {
      await api.templates.remove(t.templateID);
      toast(`Deleted template ${t.names[0]}`);
      location.hash = '#/templates';
    });
  }

  const refresher = poll(load, 5000);
  return { cleanup: () => { refresher.stop(); follower?.stop(); } };
}
