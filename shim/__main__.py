"""`python -m shim program.py [args]`, `-c CODE` or `-m module`: run a torch program on the shim."""

from __future__ import annotations

import runpy
import sys

USAGE = "usage: python -m shim (program.py | -c CODE | -m module) [args ...]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    import shim

    shim.install()
    sys.excepthook = _user_frames_only
    if argv[0] == "-c":
        if len(argv) < 2:
            print("Argument expected for the -c option", file=sys.stderr)
            return 2
        sys.argv = ["-c"] + argv[2:]
        code = compile(argv[1], "<string>", "exec")
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        exec(code, namespace)
        return 0
    if argv[0] == "-m":
        if len(argv) < 2:
            print("Argument expected for the -m option", file=sys.stderr)
            return 2
        sys.argv = [argv[1]] + argv[2:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    path = argv[0]
    sys.argv = argv
    sys.path.insert(0, _dirname(path))
    runpy.run_path(path, run_name="__main__")
    return 0


def _user_frames_only(exc_type, exc, tb) -> None:
    """Print a traceback as `python program.py` would under torch: the program's frames, not the shim's
    (torch's kernels have no Python frames) nor runpy's."""
    import os
    import runpy
    import types

    hidden = (os.path.dirname(os.path.abspath(__file__)) + os.sep, os.path.abspath(runpy.__file__), "<frozen runpy>")
    frames = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not (filename.startswith(hidden) or os.path.abspath(filename).startswith(hidden)):
            frames.append(tb)
        tb = tb.tb_next
    kept = None
    for frame in reversed(frames):
        kept = types.TracebackType(kept, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
    if kept is not None:
        exc = exc.with_traceback(kept)
    sys.__excepthook__(exc_type, exc, exc.__traceback__)


def _dirname(path: str) -> str:
    import os

    return os.path.dirname(os.path.abspath(path))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
