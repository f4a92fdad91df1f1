package io.github.cctv.dashboard.domain.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cctv.protocol.event.Events;

import java.io.IOException;

/**
 * One camera event as a webhook sends it.
 *
 * @param deliveryId the same for every attempt and redelivery of this event (the events stream's sequence), so a
 *                   receiver can drop duplicates
 * @param cameraId   the camera, from the event's subject
 * @param type       the event type, the last token of the subject
 * @param body       the JSON body: the event as published, with {@code cameraId} and {@code type} set from the subject
 */
public record WebhookEvent(String deliveryId, String cameraId, String type, byte[] body) {

    /**
     * Builds the body from the published bytes: a JSON object keeps all its fields (unknown ones too) and gets
     * {@code cameraId} and {@code type} where it lacks them; anything else is wrapped as {@code "event"}.
     */
    public static WebhookEvent of(String deliveryId, String cameraId, String type, byte[] published) {
        ObjectNode body;
        JsonNode parsed;
        try {
            parsed = Events.mapper().readTree(published);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed instanceof ObjectNode object) {
            body = object;
        } else {
            body = Events.mapper().createObjectNode();
            body.set("event", parsed == null
                    ? Events.mapper().getNodeFactory().textNode(new String(published, java.nio.charset.StandardCharsets.UTF_8))
                    : parsed);
        }
        if (!body.hasNonNull("cameraId")) {
            body.put("cameraId", cameraId);
        }
        if (!body.hasNonNull("type")) {
            body.put("type", type);
        }
        return new WebhookEvent(deliveryId, cameraId, type, Events.write(body));
    }
}
