"""Write every hostile input into OUTDIR, one per generator: python -m tests.hostile OUTDIR."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.hostile.bombs import GENERATORS as BOMBS
from tests.hostile.inputs import GENERATORS


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python -m tests.hostile 输出文件夹", file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    for name, generate in GENERATORS.items():
        folder = outdir / name  # one folder each: some are folders (profiles) or must stand alone (a FIFO)
        folder.mkdir(exist_ok=True)
        print(f"{name}: {generate(folder)}")
    bombs = outdir / "bombs"  # decompression and amplification bombs: each generator writes the file it is given
    bombs.mkdir(exist_ok=True)
    for name, generate in BOMBS.items():
        generate(bombs / name)
        print(f"bombs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
