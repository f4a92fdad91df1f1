#!/usr/bin/python3
"""A live H.264 IP camera for tests: GStreamer's RTSP server on loopback, RTSP over TCP and UDP.

Every frame is drawn here and carries its number (1, 2, 3...) in the counter strip that camera-client's
TestPatternSource draws and reads: 35 cells along the bottom edge (white, black, 32 bits of the number
from the most significant, parity), so a receiver can prove that no frame went missing. x264 encodes it.

Prints "READY rtsp://127.0.0.1:<port>/<path>" once clients may connect, and one line "PUSHED <n>" per
second with the frames pushed so far. Stops on SIGTERM or when stdin closes.
"""
import argparse
import random
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

STRIP_CELLS = 35
COUNTER_BITS = 32
WHITE, BLACK, NEUTRAL = 235, 16, 128


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="stream")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--bitrate", type=int, default=2000, help="kbit/s")
    p.add_argument("--key-interval", type=int, default=30, help="frames between IDR frames")
    p.add_argument("--in-band-parameter-sets", choices=["yes", "no"], default="yes",
                   help="yes: SPS/PPS before every IDR in the stream, as most cameras do; no: only in the SDP")
    return p.parse_args()


class Picture:
    """I420 frames: grainy colour bars, a moving white square, and the counter strip."""

    def __init__(self, width, height):
        self.w, self.h = width, height
        self.strip_h = max(8, height // 24)
        self.cell = width // STRIP_CELLS
        bars = [(180, 128, 128), (168, 44, 136), (145, 147, 44), (133, 63, 52),
                (63, 193, 204), (51, 109, 212), (28, 212, 120), (40, 128, 128)]
        rng = random.Random(42)
        rows = []
        for _ in range(16):
            row = bytearray(width)
            for x in range(width):
                y = bars[min(7, x * 8 // width)][0] + rng.randint(-10, 10)
                row[x] = max(16, min(235, y))
            rows.append(bytes(row))
        y_plane = bytearray()
        for j in range(height):
            y_plane += rows[(j * 7) % 16]
        cw, ch = (width + 1) // 2, (height + 1) // 2
        u_row = bytes(bars[min(7, x * 8 // cw)][1] for x in range(cw))
        v_row = bytes(bars[min(7, x * 8 // cw)][2] for x in range(cw))
        strip_chroma_top = (height - self.strip_h) // 2
        u_plane = bytearray()
        v_plane = bytearray()
        for j in range(ch):
            neutral = j >= strip_chroma_top
            u_plane += bytes([NEUTRAL]) * cw if neutral else u_row
            v_plane += bytes([NEUTRAL]) * cw if neutral else v_row
        self.background = bytes(y_plane + u_plane + v_plane)
        self.box = max(8, (height - self.strip_h) // 6)
        self.white_box_row = bytes([WHITE]) * self.box

    def frame(self, n):
        w, h = self.w, self.h
        f = bytearray(self.background)
        usable = h - self.strip_h
        travel = max(1, w - self.box)
        x = (n * travel // 120) % (2 * travel)
        if x > travel:
            x = 2 * travel - x
        top = usable - self.box - usable // 12
        for j in range(top, top + self.box):
            f[j * w + x:j * w + x + self.box] = self.white_box_row
        parity = bin(n & 0xFFFFFFFF).count("1") & 1
        row = bytearray()
        for c in range(STRIP_CELLS):
            if c == 0:
                white = True
            elif c == 1:
                white = False
            elif c < 2 + COUNTER_BITS:
                white = (n >> (COUNTER_BITS - 1 - (c - 2))) & 1 == 1
            else:
                white = parity == 1
            width = self.cell if c < STRIP_CELLS - 1 else w - c * self.cell
            row += bytes([WHITE if white else BLACK]) * width
        start = usable * w
        f[start:h * w] = bytes(row) * self.strip_h
        return bytes(f)


class Camera:
    def __init__(self, args):
        self.args = args
        self.picture = Picture(args.width, args.height)
        self.lock = threading.Lock()
        self.sources = []
        self.pushed = 0

    def on_media_configure(self, factory, media):
        src = media.get_element().get_by_name("src")
        with self.lock:
            self.sources.append(src)
        media.connect("unprepared", lambda m: self._drop(src))

    def _drop(self, src):
        with self.lock:
            if src in self.sources:
                self.sources.remove(src)

    def run_clock(self, stop):
        """Pushes one frame per period, as a sensor does, whether or not anyone watches."""
        period = 1.0 / self.args.fps
        duration = Gst.util_uint64_scale_int(1, Gst.SECOND, self.args.fps)
        start = time.monotonic()
        n = 0
        while not stop.is_set():
            n += 1
            due = start + (n - 1) * period
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            with self.lock:
                targets = list(self.sources)
            if not targets:
                continue  # nobody watching: the frame number still advances, as on a real camera
            data = self.picture.frame(n)
            for src in targets:
                buf = Gst.Buffer.new_wrapped(data)
                buf.duration = duration
                src.emit("push-buffer", buf)
            self.pushed = n


def main():
    args = parse_args()
    Gst.init(None)
    camera = Camera(args)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    # x264 repeats SPS/PPS before every IDR or not; rtph264pay adds none (they are in the SDP either way)
    in_band = 1 if args.in_band_parameter_sets == "yes" else 0
    caps = "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1" % (args.width, args.height, args.fps)
    factory.set_launch(
        "( appsrc name=src is-live=true do-timestamp=true format=time caps=%s "
        "! queue max-size-buffers=4 ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=%d "
        "key-int-max=%d bframes=0 threads=1 option-string=repeat-headers=%d "
        "! rtph264pay name=pay0 pt=96 config-interval=0 )"
        % (caps, args.bitrate, args.key_interval, in_band))
    factory.set_shared(True)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
    factory.connect("media-configure", camera.on_media_configure)
    server.get_mount_points().add_factory("/" + args.path, factory)
    if server.attach(None) == 0:
        print("FAILED cannot listen on 127.0.0.1:%d" % args.port, flush=True)
        sys.exit(1)

    loop = GLib.MainLoop()
    stop = threading.Event()
    clock = threading.Thread(target=camera.run_clock, args=(stop,), daemon=True)
    clock.start()

    def report():
        print("PUSHED %d" % camera.pushed, flush=True)
        return True

    def quit_loop(*_):
        stop.set()
        loop.quit()
        return False

    GLib.timeout_add_seconds(1, report)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, quit_loop)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_loop)
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.HUP | GLib.IOCondition.IN | GLib.IOCondition.ERR,
                      lambda *_: quit_loop() if not sys.stdin.buffer.read1(4096) else True)
    print("READY rtsp://127.0.0.1:%d/%s" % (args.port, args.path), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
