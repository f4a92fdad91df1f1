#!/usr/bin/python3
"""Many RTSP H.264 cameras that cost almost nothing: GStreamer's RTSP server on loopback serving one
pre-encoded MP4 file by stream copy (demux, parse, packetize; no encoding) on N mount points
/cam01 ... /camNN, each served once: the first client gets the file from its first frame, in real
time, and the mount is then taken away, so that the camera's frames are exactly the file's frames
(a client that reopens it finds it gone, as after the end of a camera's stream).

Prints "READY rtsp://127.0.0.1:<port>/camNN" per mount once clients may connect. Stops on SIGTERM or
when stdin closes.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--file", required=True, help="an MP4 file holding H.264")
    p.add_argument("--cameras", type=int, default=1)
    args = p.parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for i in range(1, args.cameras + 1):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch("( filesrc location=\"%s\" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=0 )"
                           % args.file)
        factory.set_shared(False)
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
        path = "/cam%02d" % i
        mounts.add_factory(path, factory)

    def on_play(client, ctx):
        mounts.remove_factory(ctx.uri.abspath)  # served once: the session keeps its media, a new one finds nothing

    server.connect("client-connected", lambda s, client: client.connect("play-request", on_play))
    if server.attach(None) == 0:
        print("FAILED cannot listen on 127.0.0.1:%d" % args.port, flush=True)
        sys.exit(1)
    loop = GLib.MainLoop()

    def quit_loop(*_):
        loop.quit()
        return False

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, quit_loop)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_loop)
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.HUP | GLib.IOCondition.IN | GLib.IOCondition.ERR,
                      lambda *_: quit_loop() if not sys.stdin.buffer.read1(4096) else True)
    for i in range(1, args.cameras + 1):
        print("READY rtsp://127.0.0.1:%d/cam%02d" % (args.port, i), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
