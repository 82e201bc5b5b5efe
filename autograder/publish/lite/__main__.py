"""``python -m autograder.publish.lite fetch`` (network) and ``... build`` (no network)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import REPO, build, fetch
from .sources import Cache
from .wheels import LiteError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.publish.lite", description=__doc__)
    parser.add_argument(
        "--cache",
        type=Path,
        default=REPO / ".lite-cache",
        help="where downloaded artefacts are kept (default: .lite-cache)",
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    verbs.add_parser("fetch", help="download every artefact the site needs into the cache")
    make = verbs.add_parser("build", help="build the site from the cache, with no network")
    make.add_argument(
        "--source",
        type=Path,
        default=REPO / "release",
        help="the folder of student notebooks (default: release/)",
    )
    make.add_argument(
        "--out",
        type=Path,
        default=REPO / "site",
        help="the site's folder, replaced (default: site/)",
    )
    args = parser.parse_args(argv)
    cache = Cache(args.cache.resolve())
    try:
        if args.verb == "fetch":
            packages = fetch(cache)
            print(f"cache {cache.root}: ready; the browser gets {len(packages)} packages")
        else:
            report = build(args.source, cache, args.out)
            print(
                f"site {report.site}: {report.files} files, {report.size / 1e6:.1f} MB, "
                f"built in {report.seconds:.0f} s; {len(report.packages)} Python packages"
            )
    except LiteError as exc:
        print(f"python -m autograder.publish.lite {args.verb}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
