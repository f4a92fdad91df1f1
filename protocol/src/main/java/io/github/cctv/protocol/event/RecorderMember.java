package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * A live recorder's entry in the {@code cctv-recorders} bucket (key = the recorder's id), renewed by the recorder
 * while it runs and gone within the bucket's lease once it stops: who records, and where its HTTP API (its own
 * disk's recordings) answers.
 *
 * @param id    the recorder's instance id ({@code cctv.recorder.instance-id})
 * @param url   its advertised HTTP base URL ({@code cctv.recorder.advertised-url}), e.g. {@code http://rec1:8081}
 * @param since when this run of the recorder joined
 */
public record RecorderMember(String id, String url, Instant since) {
}
