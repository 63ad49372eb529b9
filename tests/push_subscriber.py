"""A webhook subscriber as a separate process, for the push tests: it checks each delivery's HMAC
signature, records it (one JSON line per request) and answers 200 — or 401 to a bad signature.

    python tests/push_subscriber.py PORT KEY LOG      prints "ready" once it listens on 127.0.0.1:PORT
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    port, key, log_path = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            good = "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(good, self.headers.get("X-Liandong-Signature", ""))
            with open(log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"key": self.headers.get("Idempotency-Key"), "event": self.headers.get("X-Liandong-Event"),
                                    "valid": valid, "body": json.loads(raw)}, ensure_ascii=False) + "\n")
            self.send_response(200 if valid else 401)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
