/** Ingest's metrics (cctv_ingest_*). */
package io.github.cctv.ingest.health;
