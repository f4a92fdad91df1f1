/** The dashboard service: the web UI, the live WebSocket and the REST API; start-up in DashboardLifecycle. */
package io.github.cctv.dashboard;
