package io.github.cctv.protocol.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

/** JSON for events and the other records of this package: one mapper, one format, times as ISO-8601 UTC. */
public final class Events {

    /** Schema version written into every event; readers ignore fields they do not know. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Events() {
    }

    /** The event as JSON bytes, with {@code type}, {@code schema} and its fields. */
    public static byte[] toJson(CameraEvent event) {
        ObjectNode node = MAPPER.valueToTree(event);
        node.put("schema", SCHEMA_VERSION);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event, e);
        }
    }

    /** Parses an event; throws {@link IllegalArgumentException} for bytes that are not one. */
    public static CameraEvent eventFromJson(byte[] json) {
        return read(json, CameraEvent.class);
    }

    /** Any record of this package as JSON bytes. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    /** Parses JSON into {@code type}; throws {@link IllegalArgumentException} for malformed input. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The shared mapper, for callers that serialise these records inside larger documents. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
