package io.github.cctv.dashboard.domain.live;

import java.util.function.Consumer;

/** The transport to one browser. Sends are asynchronous; {@code done} is told whether the bytes went out. */
public interface ViewerConnection {

    String id();

    void sendBinary(byte[] message, Consumer<Boolean> done);

    void sendText(String message, Consumer<Boolean> done);

    void close(String reason);
}
