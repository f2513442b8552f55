"""Exit 0 when PostgreSQL and Redis answer on their local ports (for make test)."""

import socket
import sys

SERVICES = [("PostgreSQL", "127.0.0.1", 5432), ("Redis", "127.0.0.1", 6379)]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(0 if all(reachable(h, p) for _name, h, p in SERVICES) else 1)
