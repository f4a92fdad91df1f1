/** The dashboard's metrics (cctv_dashboard_*). */
package io.github.cctv.dashboard.health;
