"""A real pyfin process for the multi-process tests: `python cache_worker.py MODE ROOT [ARGS]`.

Modes:
- `stress ROOT SECONDS SEED`: under the shared lock, write and read the same few entries and
  unpacked folders as fast as possible for SECONDS; every payload carries its own sha256, and
  any read that is not one complete payload exits with status 1. Prints counts as JSON.
- `slow-file ROOT`: stream a large payload into the entry `simple-v0/pypi/big.json` through
  `atomic_file`, printing "writing" once the temporary file has data, then keep writing slowly
  (to be killed mid-write).
- `slow-dir ROOT`: the same for a folder built through `atomic_dir` (`wheels-v0/pypi/big/w`).
- `hold ROOT shared|exclusive`: take the lock, print "locked", hold it until stdin closes.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from pathlib import Path

from pyfin_cache import Cache, CacheBucket, atomic_dir, atomic_file

FILE_KEYS = ("a", "b", "c", "d")
DIR_KEYS = 30
DIR_FILES = ("one.py", "two.py", "METADATA")


def payload(rng: random.Random) -> bytes:
    body = rng.randbytes(rng.randint(1, 200_000))
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def check(data: bytes, where: str) -> None:
    digest, _, body = data.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != digest:
        sys.exit(f"partial or mixed payload read from {where} ({len(data)} bytes)")


def stress(cache: Cache, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    counts = {"writes": 0, "reads": 0, "hits": 0, "dir_builds": 0, "dir_hits": 0}
    deadline = time.monotonic() + seconds
    with cache.lock_shared():
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.8:
                entry = cache.entry(CacheBucket.SIMPLE, "pypi", file=rng.choice(FILE_KEYS))
                if roll < 0.4:
                    entry.write(payload(rng))
                    counts["writes"] += 1
                else:
                    data = entry.read()
                    counts["reads"] += 1
                    if data is not None:
                        counts["hits"] += 1
                        check(data, str(entry.path))
                continue
            target = cache.shard(CacheBucket.WHEELS, "pypi", "pkg", f"d{rng.randrange(DIR_KEYS)}")
            if roll < 0.9:
                with atomic_dir(target) as building:
                    for name in DIR_FILES:
                        (building / name).write_bytes(payload(rng))
                counts["dir_builds"] += 1
            elif target.exists():
                # An existing folder is complete: every file present and whole.
                for name in DIR_FILES:
                    check((target / name).read_bytes(), str(target / name))
                counts["dir_hits"] += 1
    print(json.dumps(counts))


def slow_file(cache: Cache) -> None:
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="big.json")
    chunk = b"x" * 65536
    with atomic_file(entry.path) as file:
        file.write(chunk)
        file.flush()
        print("writing", flush=True)
        for _ in range(3000):
            file.write(chunk)
            time.sleep(0.01)


def slow_dir(cache: Cache) -> None:
    with atomic_dir(cache.shard(CacheBucket.WHEELS, "pypi", "big", "w")) as building:
        (building / "first.py").write_bytes(b"print('first')\n")
        print("writing", flush=True)
        for index in range(3000):
            (building / f"file{index}.py").write_bytes(b"pass\n")
            time.sleep(0.01)


def hold(cache: Cache, mode: str) -> None:
    lock = cache.lock_exclusive() if mode == "exclusive" else cache.lock_shared()
    with lock:
        print("locked", flush=True)
        sys.stdin.read()


def main(argv: list[str]) -> None:
    mode, root = argv[0], Path(argv[1])
    cache = Cache(root)
    if mode == "stress":
        stress(cache, float(argv[2]), int(argv[3]))
    elif mode == "slow-file":
        slow_file(cache)
    elif mode == "slow-dir":
        slow_dir(cache)
    elif mode == "hold":
        hold(cache, argv[2])
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
