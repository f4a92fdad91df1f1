package io.github.cctv.recorder.domain.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * Rendezvous (highest-random-weight) hashing: a camera's desired recorder is the live member whose hash with the
 * camera id is highest. Every recorder computes the same answer from the same members, and a member that joins or
 * leaves moves only the cameras it wins or held (about 1/N of them).
 */
public final class Rendezvous {

    private Rendezvous() {
    }

    /** The member that should record {@code cameraId}; null when there is no member. */
    public static String owner(String cameraId, Collection<String> members) {
        String best = null;
        long bestWeight = 0;
        for (String m : members) {
            long w = weight(cameraId, m);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && m.compareTo(best) < 0)) {
                best = m;
                bestWeight = w;
            }
        }
        return best;
    }

    static long weight(String cameraId, String member) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(member.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            byte[] h = md.digest(cameraId.getBytes(StandardCharsets.UTF_8));
            long w = 0;
            for (int i = 0; i < 8; i++) {
                w = (w << 8) | (h[i] & 0xff);
            }
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
