"""A private single-node OpenStack Swift with s3api, in one Python process.

Run by scripts/swift.sh. The proxy, account, container and object servers are
Swift's own WSGI apps (Debian's python3-swift), each on its own loopback
socket, served by green threads of one process: one interpreter to start
instead of four, and one pid to stop. The rings are built here, after the
sockets are bound, so they carry the ports actually taken.

Usage: swift-node.py RUNTIME_DIR PROXY_PORT   (0: any free port)
Writes RUNTIME_DIR/ports (proxy port) once every server is listening.
"""
import logging
import os
import sys

runtime, proxy_port = sys.argv[1], int(sys.argv[2])

# Patched first, as Swift's eventlet_monkey_patch() does. Greening the existing locks runs a full
# gc.collect per lock (seconds on a busy machine); it only finds their referrers, which
# gc.get_referrers does without a collection, so the collections are skipped while it runs.
import gc  # noqa: E402

import eventlet  # noqa: E402

_collect = gc.collect
gc.collect = lambda *args: 0
try:
    eventlet.patcher.monkey_patch(all=False, socket=True, select=True, thread=True)
finally:
    gc.collect = _collect
logging.logThreads = 0

# Swift reads swift.conf from /etc/swift unless told otherwise: this node
# keeps everything, hash prefix included, in its own runtime directory.
from swift.common import utils  # noqa: E402

utils.set_swift_dir(runtime)


class _StderrHandler(logging.StreamHandler):
    """Swift logs to syslog (UDP to localhost:514 when /dev/log is missing): here, to stderr, which swift.sh keeps in swift.log."""

    def __init__(self, address=None, facility=None):
        super().__init__(sys.stderr)


utils.ThreadSafeSysLogHandler = _StderrHandler
from swift.common import constraints, storage_policy  # noqa: E402

storage_policy.reload_storage_policies()
constraints.reload_constraints()

from eventlet import wsgi as eventlet_wsgi  # noqa: E402
from swift.common.ring import RingBuilder  # noqa: E402
from swift.common.wsgi import RestrictedGreenPool, SwiftHttpProtocol, loadapp  # noqa: E402

os.environ["TZ"] = "UTC+0"

sockets = {name: eventlet.listen(("127.0.0.1", 0)) for name in ("account", "container", "object")}
sockets["proxy"] = eventlet.listen(("127.0.0.1", proxy_port))

# One replica on one device per ring; 2^6 partitions is plenty for tests.
for name in ("account", "container", "object"):
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": sockets[name].getsockname()[1], "device": "d1", "weight": 1, "meta": ""})
    builder.rebalance()
    builder.get_ring().save(os.path.join(runtime, f"{name}.ring.gz"))

pool = eventlet.GreenPool()
for name in ("account", "container", "object", "proxy"):
    app = loadapp(os.path.join(runtime, f"{name}-server.conf"), global_conf={"log_name": name})
    # capitalize_response_headers=False: the AWS SDK needs "ETag", not "Etag" (as Swift's run_server does).
    pool.spawn(
        eventlet_wsgi.server,
        sockets[name],
        app,
        eventlet_wsgi.NullLogger() if hasattr(eventlet_wsgi, "NullLogger") else None,
        custom_pool=RestrictedGreenPool(size=1024),
        protocol=SwiftHttpProtocol,
        socket_timeout=60,
        capitalize_response_headers=False,
        log_output=False,
    )

with open(os.path.join(runtime, "ports.tmp"), "w") as out:
    out.write(f"{sockets['proxy'].getsockname()[1]}\n")
os.replace(os.path.join(runtime, "ports.tmp"), os.path.join(runtime, "ports"))
pool.waitall()
