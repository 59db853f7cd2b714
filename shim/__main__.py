"""`python -m shim program.py [args]`, `-c CODE` or `-m module`: run a torch program on the shim, and behave as
`python` itself does for everything around the program (a missing file, a syntax error, a missing module,
SystemExit, the traceback's frames)."""

from __future__ import annotations

import os
import runpy
import sys
import types

USAGE = "usage: python -m shim (program.py | -c CODE | -m module) [args ...]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    if argv[0] in ("-c", "-m") and len(argv) < 2:
        print(f"Argument expected for the {argv[0]} option", file=sys.stderr)
        return 2
    import shim

    shim.install()
    sys.excepthook = _user_frames_only
    if argv[0] == "-c":
        sys.argv = ["-c"] + argv[2:]
        return _run_source(argv[1], "<string>")
    if argv[0] == "-m":
        sys.argv = [argv[1]] + argv[2:]
        try:  # python -m's own lookup, whose failures it reports as one line, without a traceback
            runpy._get_module_details(argv[1], runpy._Error)
        except runpy._Error as exc:
            sys.exit(f"{sys.executable}: {exc}")
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    path = os.path.abspath(argv[0])  # python runs (and reports) a script by its absolute path
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError as exc:
        program = sys.orig_argv[0] if getattr(sys, "orig_argv", None) else "python"
        print(f"{program}: can't open file {path!r}: [Errno {exc.errno}] {exc.strerror}", file=sys.stderr)
        return 2
    sys.argv = argv
    sys.path.insert(0, os.path.dirname(path))
    return _run_source(source, path)


def _run_source(source: str | bytes, filename: str) -> int:
    """Compile and run `source` as the `__main__` module, as python runs a script or `-c` code."""
    main_module = types.ModuleType("__main__")
    main_module.__dict__.update(__file__=filename, __builtins__=__builtins__, __cached__=None)
    if filename == "<string>":
        del main_module.__file__
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main_module  # pickle finds the program's classes where python would put them
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, main_module.__dict__)
    finally:
        sys.modules["__main__"] = saved
    return 0


def _user_frames_only(exc_type, exc, tb) -> None:
    """Print a traceback as `python program.py` would under torch: the program's frames, not the shim's
    (torch's kernels have no Python frames) nor runpy's."""
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
    sys.__excepthook__(exc_type, exc.with_traceback(kept), kept)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
